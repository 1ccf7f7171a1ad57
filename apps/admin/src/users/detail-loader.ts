import { type SecondFactorServices, secondFactorsOf, type UserRepository } from "@marg/core/auth";
import { MargError } from "@marg/core/errors";
import { directPermissionsOfUser, rolesOfUser } from "../roles/repository.js";
import type { AdminServices } from "../services.js";
import type { UserDetail } from "./detail-view.js";

/** One user with their roles, direct grants, open sessions and second factors; E_AUTH_USER_NOT_FOUND (404) when gone. */
export async function loadUserDetail(
  services: AdminServices,
  users: UserRepository,
  id: number,
  accounts: SecondFactorServices,
): Promise<UserDetail> {
  const user = await users.findById(id);
  if (user === null) {
    throw new MargError("E_AUTH_USER_NOT_FOUND", `No user has id ${id}; go back to the list and pick one.`, {
      status: 404,
    });
  }
  const [roles, directPermissions, sessions, secondFactors] = await Promise.all([
    rolesOfUser(services.db, id),
    directPermissionsOfUser(services.db, id),
    services.devices.list(String(id)),
    secondFactorsOf(accounts, id),
  ]);
  return { user, roles, directPermissions, sessions, secondFactors };
}
