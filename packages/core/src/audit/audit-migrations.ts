import { type Kysely, sql } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";
import { idType, withId } from "../db/schema-helpers.js";

// Kysely hands migrations a Kysely<any>; naming the parameter's type keeps `any` out of this file.
type SchemaDb = Kysely<unknown>;

/**
 * `audit_log` lives in marg-rbac, beside the users and roles it describes, on the
 * `rbac` connection, so every app writes account events (sign-ins…) into the same
 * trail as admin's actions. It was admin's until issue 17; the migration keeps its
 * name, so an installation that ran it under admin does not run it again.
 */
export const auditMigrations: MigrationSet = {
  source: "core:audit",
  connection: "rbac",
  migrations: {
    "2026_11_26_090000_create_audit_log": {
      async up(db: SchemaDb) {
        await db.schema
          .createTable("audit_log")
          .$call(withId(db))
          .addColumn("actor_user_id", idType(db))
          .addColumn("action", "varchar(64)", (col) => col.notNull())
          .addColumn("subject_type", "varchar(32)", (col) => col.notNull())
          .addColumn("subject_id", "varchar(191)", (col) => col.notNull())
          // mediumtext on MySQL: a role's permission list or a job payload can pass 64 KB.
          .addColumn("before_json", sql`mediumtext`)
          .addColumn("after_json", sql`mediumtext`)
          .addColumn("ip", "varchar(45)")
          .addColumn("created_at", "bigint", (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex("audit_log_created_at_index")
          .on("audit_log")
          .column("created_at")
          .execute();
        await db.schema
          .createIndex("audit_log_subject_index")
          .on("audit_log")
          .columns(["subject_type", "subject_id", "created_at"])
          .execute();
        await db.schema
          .createIndex("audit_log_actor_index")
          .on("audit_log")
          .columns(["actor_user_id", "created_at"])
          .execute();
      },
      async down(db: SchemaDb) {
        await db.schema.dropTable("audit_log").execute();
      },
    },
  },
};
