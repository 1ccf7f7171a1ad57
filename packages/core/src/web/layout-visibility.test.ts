import { describe, expect, it } from "vitest";
import { MargError } from "../errors/marg-error.js";
import type { PermissionGrant } from "../rbac/types.js";
import { UserPermissions } from "../rbac/user-permissions.js";
import type { LayoutApp, NavLink } from "./layout.js";
import { createLayoutVisibility } from "./layout-visibility.js";

const APPS: LayoutApp[] = [
  { id: "flow", title: "Flow", url: "http://flow.marg.test" },
  { id: "links", title: "Links", url: "http://links.marg.test", access: ["links.view"] },
  { id: "admin", title: "Admin", url: "http://admin.marg.test", access: ["users.view", "health.view"] },
];
const NAV: NavLink[] = [
  { href: "/tasks", label: "Tasks", permission: "tasks.view" },
  { href: "/profile", label: "Profile" },
];

/** A user's set as the flow process compiles it: grants carry the app their permission belongs to. */
function userInFlow(grants: PermissionGrant[], roles: string[] = []): UserPermissions {
  return new UserPermissions({ userId: 7, roles, grants, loadedAt: 0 }, "flow");
}
const grant = (permission: string, app: string | null): PermissionGrant => ({ permission, app, role: null });

describe("layout visibility", () => {
  it("keeps apps a user cannot open out of their switcher, checking each as that app would", () => {
    const visibility = createLayoutVisibility(APPS, NAV);
    const member = userInFlow([grant("tasks.view", "flow"), grant("links.view", "links")]);
    const watcher = userInFlow([grant("health.view", "admin")]);
    expect(visibility.apps(member).map((app) => app.id)).toEqual(["flow", "links"]);
    expect(visibility.apps(watcher).map((app) => app.id)).toEqual(["flow", "admin"]);
    expect(visibility.apps(userInFlow([], ["super-admin"]))).toBe(APPS);
  });

  it("hands out one list per visible set, so the switcher is cached per set and not per user", () => {
    const visibility = createLayoutVisibility(APPS, NAV);
    const one = visibility.apps(userInFlow([grant("links.view", "links")]));
    const other = visibility.apps(userInFlow([grant("links.view", "links"), grant("tasks.view", "flow")]));
    expect(other).toBe(one);
    expect(visibility.apps(userInFlow([grant("users.view", "admin")]))).not.toBe(one);
  });

  it("drops the links whose permission the user lacks and keeps those without one", () => {
    const visibility = createLayoutVisibility(APPS, NAV);
    expect(visibility.nav(userInFlow([])).map((link) => link.label)).toEqual(["Profile"]);
    expect(visibility.nav(userInFlow([grant("tasks.view", "flow")])).map((link) => link.label)).toEqual([
      "Tasks",
      "Profile",
    ]);
  });

  it("needs no permission lookup when nothing is guarded", () => {
    const plain = createLayoutVisibility(
      [{ id: "flow", title: "Flow", url: "http://flow.marg.test" }],
      [{ href: "/", label: "Home" }],
    );
    expect(plain.needsPermissions).toBe(false);
    expect(createLayoutVisibility(APPS, []).needsPermissions).toBe(true);
  });

  it("refuses a malformed or wildcard permission when the app starts, not on a page", () => {
    const invalid = (apps: LayoutApp[], nav: NavLink[]) => {
      try {
        createLayoutVisibility(apps, nav);
      } catch (error) {
        return error instanceof MargError ? error.code : error;
      }
      return "accepted";
    };
    expect(invalid([], [{ href: "/tasks", label: "Tasks", permission: "Tasks View" }])).toBe(
      "E_RBAC_INVALID_NAME",
    );
    expect(invalid([], [{ href: "/tasks", label: "Tasks", permission: "tasks.*" }])).toBe(
      "E_RBAC_INVALID_NAME",
    );
    expect(invalid([{ id: "admin", title: "Admin", url: "http://a", access: ["users..view"] }], [])).toBe(
      "E_RBAC_INVALID_NAME",
    );
  });
});
