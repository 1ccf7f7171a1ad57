import { permissionCovers, type RoleSummary, SUPER_ADMIN_ROLE, type UserPermissions } from "@marg/core";

/**
 * The roles an administrator may put on an invitation: ones they hold, or whose every
 * permission their own grants cover; super-admin only from a super-admin. A stand-in
 * kept deliberately simple: the RBAC anti-escalation rules ("no one grants more than
 * they hold") should replace it with their own check when they land.
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
