import { permissionCovers, type RoleSummary, SUPER_ADMIN_ROLE, type UserPermissions } from "@marg/core/rbac";

/**
 * The roles the invitation form offers: ones the administrator holds, or whose every
 * permission their own grants cover; super-admin only to a super-admin. A convenience
 * for the form only: what is submitted is judged by core's access-change policy
 * (through the admin app's AccessChangeGate), like any other role assignment.
 */
export function grantableRoles(inviter: UserPermissions, roles: readonly RoleSummary[]): string[] {
  return roles
    .filter((role) => {
      if (inviter.superAdmin || inviter.hasRole(role.name, { exact: true })) return true;
      if (role.name === SUPER_ADMIN_ROLE) return false;
      return role.permissions.every((permission) =>
        inviter.source.grants.some((grant) => permissionCovers(grant.permission, permission)),
      );
    })
    .map((role) => role.name);
}
