import type { Kysely } from "kysely";
import type { AccessPolicyTables } from "./access-change-policy.js";
import { SUPER_ADMIN_ROLE } from "./names.js";

/**
 * True when at least one enabled user holds the super-admin role. A production
 * installation without one has no one who can grant it from the admin app: doctor
 * fails on it and the sign-in page logs it (the fix is `marg user:create`).
 */
export async function hasActiveSuperAdmin(db: Kysely<AccessPolicyTables>): Promise<boolean> {
  const row = await db
    .selectFrom("user_roles")
    .innerJoin("roles", "roles.id", "user_roles.role_id")
    .innerJoin("users", "users.id", "user_roles.user_id")
    .select("users.id")
    .where("roles.name", "=", SUPER_ADMIN_ROLE)
    .where("users.disabled_at", "is", null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
