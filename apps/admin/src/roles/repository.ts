import { MargError } from "@marg/core/errors";
import type { Kysely } from "kysely";
import type { AdminDatabase } from "../database.js";

type Db = Kysely<AdminDatabase>;

/** Names of the roles a user holds, sorted. */
export async function rolesOfUser(db: Db, userId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("user_roles")
    .innerJoin("roles", "roles.id", "user_roles.role_id")
    .select("roles.name")
    .where("user_roles.user_id", "=", userId)
    .orderBy("roles.name")
    .execute();
  return rows.map((row) => row.name);
}

/** Permissions granted to the user directly (outside any role), sorted. */
export async function directPermissionsOfUser(db: Db, userId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("user_permissions")
    .innerJoin("permissions", "permissions.id", "user_permissions.permission_id")
    .select("permissions.name")
    .where("user_permissions.user_id", "=", userId)
    .orderBy("permissions.name")
    .execute();
  return rows.map((row) => row.name);
}

export async function permissionsOfRole(db: Db, roleId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("role_permissions")
    .innerJoin("permissions", "permissions.id", "role_permissions.permission_id")
    .select("permissions.name")
    .where("role_permissions.role_id", "=", roleId)
    .orderBy("permissions.name")
    .execute();
  return rows.map((row) => row.name);
}

export async function userIdsOfRole(db: Db, roleId: number): Promise<number[]> {
  const rows = await db
    .selectFrom("user_roles")
    .select("user_id")
    .where("role_id", "=", roleId)
    .orderBy("user_id")
    .execute();
  return rows.map((row) => Number(row.user_id));
}

/** Up to `limit` users holding a role, by name. */
export async function membersOfRole(db: Db, roleId: number, limit: number) {
  const rows = await db
    .selectFrom("user_roles")
    .innerJoin("users", "users.id", "user_roles.user_id")
    .select(["users.id", "users.name", "users.email"])
    .where("user_roles.role_id", "=", roleId)
    .orderBy("users.name")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}

/** The user's id, or E_AUTH_USER_NOT_FOUND. */
export async function assertUserExists(db: Db, userId: number): Promise<void> {
  const row = await db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
  if (row === undefined) {
    throw new MargError(
      "E_AUTH_USER_NOT_FOUND",
      `No user has id ${userId}; go back to the list and pick one.`,
      {
        status: 404,
      },
    );
  }
}
