import type { Kysely } from "kysely";
import type { UserDirectory } from "./types.js";

/** The columns of the auth capability's `users` table that RBAC reads. */
export interface DirectoryUsersTable {
  id: number;
  email_normalized: string;
  disabled_at: number | null;
}

export interface DirectoryTables {
  users: DirectoryUsersTable;
}

/**
 * UserDirectory over the auth capability's `users` table in the shared `marg-rbac`
 * database. Emails are compared trimmed and lowercased, as auth stores them.
 */
export class SqlUserDirectory implements UserDirectory {
  readonly #db: Kysely<DirectoryTables>;

  constructor(db: Kysely<DirectoryTables>) {
    this.#db = db;
  }

  async findIdByEmail(email: string): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom("users")
      .select("id")
      .where("email_normalized", "=", email.trim().toLowerCase())
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.id);
  }

  async exists(userId: number): Promise<boolean> {
    if (!Number.isSafeInteger(userId) || userId <= 0) return false;
    const row = await this.#db.selectFrom("users").select("id").where("id", "=", userId).executeTakeFirst();
    return row !== undefined;
  }

  async listActiveIds(options: { afterId: number; limit: number }): Promise<number[]> {
    const rows = await this.#db
      .selectFrom("users")
      .select("id")
      .where("disabled_at", "is", null)
      .where("id", ">", options.afterId)
      .orderBy("id")
      .limit(options.limit)
      .execute();
    return rows.map((row) => Number(row.id));
  }
}
