import { parseCheckedPermission } from "../rbac/names.js";
import type { UserPermissions } from "../rbac/user-permissions.js";
import type { LayoutApp, NavLink } from "./layout.js";

/** Which switcher entries and navigation links a signed-in user is shown. */
export interface LayoutVisibility {
  /** False when nothing is guarded: pages then skip the permission lookup entirely. */
  readonly needsPermissions: boolean;
  /**
   * The apps whose `access` the user meets, each checked as that app checks it.
   * One stable list per visible set, so the layout's switcher cache (keyed by the
   * list) holds one fragment per (app, visible set), however many users share it.
   */
  apps(permissions: UserPermissions): readonly LayoutApp[];
  /** The links whose `permission` the user holds (links without one always). */
  nav(permissions: UserPermissions): readonly NavLink[];
}

/**
 * Hides from each user what would answer 403: apps they cannot open, links to
 * pages they may not see. Permission names are validated here, at start-up, as
 * route guards validate theirs (E_RBAC_INVALID_NAME), so a typo never reaches a page.
 * Checks are synchronous on a set the request already holds: no I/O per page.
 */
export function createLayoutVisibility(
  apps: readonly LayoutApp[],
  nav: readonly NavLink[],
): LayoutVisibility {
  const links = nav.map((link) =>
    link.permission === undefined ? link : { ...link, permission: parseCheckedPermission(link.permission) },
  );
  const guardedNav = links.some((link) => link.permission !== undefined);
  const guarded = apps.flatMap((app) =>
    (app.access ?? []).length === 0 ? [] : [{ app, access: (app.access ?? []).map(parseCheckedPermission) }],
  );
  const opens = ({ app, access }: (typeof guarded)[number], permissions: UserPermissions) =>
    access.some((permission) => permissions.canIn(app.id, permission));
  // Keyed by the sum of 2^i over the guarded apps hidden; at most 2^guarded lists, made when first seen.
  const subsets = new Map<number, readonly LayoutApp[]>();

  return {
    needsPermissions: guarded.length > 0 || guardedNav,
    apps(permissions) {
      let hiddenKey = 0;
      guarded.forEach((entry, index) => {
        if (!opens(entry, permissions)) hiddenKey += 2 ** index;
      });
      if (hiddenKey === 0) return apps;
      let subset = subsets.get(hiddenKey);
      if (subset === undefined) {
        const hidden = new Set(guarded.filter((entry) => !opens(entry, permissions)).map(({ app }) => app));
        subset = apps.filter((app) => !hidden.has(app));
        subsets.set(hiddenKey, subset);
      }
      return subset;
    },
    nav(permissions) {
      if (!guardedNav) return links;
      return links.filter((link) => link.permission === undefined || permissions.can(link.permission));
    },
  };
}
