import { MargError } from "@marg/core/errors";
import { parsePermissionName, parseRoleName, type RbacRepository } from "@marg/core/rbac";

/** E_RBAC_UNKNOWN_ROLE / _PERMISSION with the names that do exist, as RbacService words them. */
export async function unknownRole(repo: RbacRepository, name: string, field = "role"): Promise<MargError> {
  const known = await repo.roleNames();
  const message = `No role '${name}'; roles are: ${known.join(", ") || "none yet"}.`;
  return new MargError("E_RBAC_UNKNOWN_ROLE", message, {
    status: 404,
    details: { fields: { [field]: message } },
  });
}

export async function unknownPermission(
  repo: RbacRepository,
  name: string,
  field = "permission",
): Promise<MargError> {
  const message = `No permission '${name}'; pick one from the list (${(await repo.permissionNames()).length} exist).`;
  return new MargError("E_RBAC_UNKNOWN_PERMISSION", message, {
    status: 404,
    details: { fields: { [field]: message } },
  });
}

/** The stored role, or E_RBAC_INVALID_NAME / E_RBAC_UNKNOWN_ROLE. */
export async function findRoleOrFail(repo: RbacRepository, name: string) {
  const role = await repo.findRole(parseRoleName(name));
  if (role === undefined) throw await unknownRole(repo, name);
  return role;
}

export async function findPermissionOrFail(repo: RbacRepository, name: string) {
  const permission = await repo.findPermission(parsePermissionName(name));
  if (permission === undefined) throw await unknownPermission(repo, name);
  return permission;
}
