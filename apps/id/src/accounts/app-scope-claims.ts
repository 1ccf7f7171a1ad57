import { permissionCovers, SUPER_ADMIN_ROLE, type UserPermissions } from "@marg/core/rbac";

/** What a client with an app scope is told about a user's access to that app. */
export interface AppScopeClaims {
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
}

/** A permission of the RBAC catalogue with the app it belongs to (`permissions.app`; null = every app). */
export interface CataloguePermission {
  readonly name: string;
  readonly app: string | null;
}

/**
 * The `roles` and `permissions` claims for a client whose app scope is `appScope`:
 *
 * - `permissions`: the catalogue's permissions of that app (their `app` is the
 *   scope, as `marg rbac:permission create … --app <scope>` and the seeded ones
 *   say: flow's `tasks.view` has app `flow`) that the user holds as that app's own
 *   checks would answer (wildcards and the super-admin resolved, grants scoped to
 *   another app left out). Never a permission of another app.
 * - `roles`: the user's roles that give at least one of those permissions (a role
 *   that only grants other apps' permissions is not the client's business), and
 *   `super-admin` when the user holds it and the app has any permission.
 *
 * A client without an app scope gets neither list (empty).
 */
export function appScopeClaims(
  perms: UserPermissions,
  appScope: string | null,
  catalogue: readonly CataloguePermission[],
): AppScopeClaims {
  if (appScope === null) return { roles: [], permissions: [] };
  const own = catalogue
    .filter((permission) => permission.app === appScope)
    .map((permission) => permission.name);
  const permissions = own.filter((name) => perms.canIn(appScope, name));
  const roles = new Set<string>();
  for (const grant of perms.source.grants) {
    if (grant.role === null || (grant.app !== null && grant.app !== appScope)) continue;
    if (permissions.some((name) => permissionCovers(grant.permission, name))) roles.add(grant.role);
  }
  if (perms.superAdmin && permissions.length > 0) roles.add(SUPER_ADMIN_ROLE);
  return { roles: [...roles].sort(), permissions };
}
