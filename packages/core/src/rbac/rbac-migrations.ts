import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";
import { sqlDialectOf } from "../db/sql-dialect.js";

/** SQLite only auto-increments an `integer primary key`; MySQL wants `bigint`. Both hold 64-bit ids. */
function idType(db: Kysely<unknown>): "integer" | "bigint" {
  return sqlDialectOf(db) === "sqlite" ? "integer" : "bigint";
}

const autoId = (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement().notNull();

const createRolesAndPermissions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("permissions")
      .addColumn("id", idType(db), autoId)
      .addColumn("name", "varchar(100)", (c) => c.notNull().unique())
      .addColumn("app", "varchar(32)")
      .addColumn("description", "varchar(255)")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("roles")
      .addColumn("id", idType(db), autoId)
      .addColumn("name", "varchar(64)", (c) => c.notNull().unique())
      .addColumn("description", "varchar(255)")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("roles").execute();
    await db.schema.dropTable("permissions").execute();
  },
};

// user_id columns hold ids of the auth capability's `users` table, in the same
// database, but carry no foreign key: RBAC's migrations must not depend on the
// order in which auth's run, and deleting a user is auth's job (it also removes
// the user's rows here, or they are harmless leftovers no check can reach).
const createAssignments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("role_permissions")
      .addColumn("role_id", "bigint", (c) => c.notNull().references("roles.id").onDelete("cascade"))
      .addColumn("permission_id", "bigint", (c) =>
        c.notNull().references("permissions.id").onDelete("cascade"),
      )
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("role_permissions_pk", ["role_id", "permission_id"])
      .execute();
    await db.schema
      .createIndex("role_permissions_permission_id_index")
      .on("role_permissions")
      .column("permission_id")
      .execute();
    await db.schema
      .createTable("user_roles")
      .addColumn("user_id", "bigint", (c) => c.notNull())
      .addColumn("role_id", "bigint", (c) => c.notNull().references("roles.id").onDelete("cascade"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("user_roles_pk", ["user_id", "role_id"])
      .execute();
    await db.schema.createIndex("user_roles_role_id_index").on("user_roles").column("role_id").execute();
    await db.schema
      .createTable("user_permissions")
      .addColumn("user_id", "bigint", (c) => c.notNull())
      .addColumn("permission_id", "bigint", (c) =>
        c.notNull().references("permissions.id").onDelete("cascade"),
      )
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("user_permissions_pk", ["user_id", "permission_id"])
      .execute();
    await db.schema
      .createIndex("user_permissions_permission_id_index")
      .on("user_permissions")
      .column("permission_id")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("user_permissions").execute();
    await db.schema.dropTable("user_roles").execute();
    await db.schema.dropTable("role_permissions").execute();
  },
};

/** RBAC's tables on the shared `rbac` connection (database `marg-rbac`). */
export const rbacMigrations: MigrationSet = {
  source: "core:rbac",
  connection: "rbac",
  migrations: {
    "2026_11_25_190100_create_roles_and_permissions": createRolesAndPermissions,
    "2026_11_25_190200_create_rbac_assignments": createAssignments,
  },
};
