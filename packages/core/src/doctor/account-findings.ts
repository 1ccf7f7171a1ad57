import type { AccessPolicyTables } from "../rbac/access-change-policy.js";
import { hasActiveSuperAdmin } from "../rbac/active-super-admins.js";
import { type DoctorCheck, fail, ok, warn } from "./types.js";

export const NO_SUPER_ADMIN_FIX = "Create the first admin: marg user:create EMAIL --role super-admin";

/**
 * In production, an installation where no enabled user holds super-admin is broken:
 * nobody can grant access from the admin app, and the demo seeder is not the way
 * out there. Outside production the demo seed provides one, so nothing is said.
 */
export const checkAccounts: DoctorCheck = async (ctx) => {
  const installation = ctx.installation;
  if (installation.app.env !== "production") return [];
  try {
    const db = ctx.databasesFor(installation).connection<AccessPolicyTables>("rbac");
    if (await hasActiveSuperAdmin(db)) {
      return [ok("accounts.super-admin", "at least one enabled user holds super-admin")];
    }
    return [
      fail(
        "accounts.super-admin",
        "no enabled user holds super-admin: nobody can grant or change access from the admin app",
        NO_SUPER_ADMIN_FIX,
      ),
    ];
  } catch (error) {
    // The database area names an unreachable or unmigrated database; this says what it could not check.
    return [
      warn(
        "accounts.super-admin",
        `could not check for a super-admin (${(error as Error).message})`,
        "Run `marg migrate`, then `marg doctor` again",
      ),
    ];
  }
};
