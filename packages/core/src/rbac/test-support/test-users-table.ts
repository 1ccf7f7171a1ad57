import type { Generated, Kysely } from "kysely";
import { sqlDialectOf } from "../../db/sql-dialect.js";

/**
 * The columns of the auth capability's `users` table that RBAC reads. Tests make
 * this stand-in so RBAC is tested without depending on auth's migrations.
 */
export interface TestUsersTables {
  users: {
    id: Generated<number>;
    email: string;
    email_normalized: string;
    name: string;
    disabled_at: number | null;
  };
}

export async function createTestUsersTable<T>(db: Kysely<T>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("id", sqlDialectOf(db) === "sqlite" ? "integer" : "bigint", (c) =>
      c.primaryKey().autoIncrement().notNull(),
    )
    .addColumn("email", "varchar(254)", (c) => c.notNull())
    .addColumn("email_normalized", "varchar(254)", (c) => c.notNull().unique())
    .addColumn("name", "varchar(120)", (c) => c.notNull())
    .addColumn("disabled_at", "bigint")
    .execute();
}
