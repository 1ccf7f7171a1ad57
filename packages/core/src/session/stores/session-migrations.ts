import { type Kysely, sql } from "kysely";
import type { MigrationSet } from "../../db/migration-types.js";

/**
 * The `sessions` table, on the `rbac` connection: the one database every app
 * shares, so a session written by flow is read by links and admin. Written with
 * Kysely's schema builder to run on SQLite and MySQL/MariaDB alike.
 */
export const sessionMigrations: MigrationSet = {
  source: "core:session",
  connection: "rbac",
  migrations: {
    "2026_11_25_120000_create_sessions": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("sessions")
          .addColumn("id", "varchar(64)", (col) => col.primaryKey())
          .addColumn("user_id", "varchar(191)")
          // MEDIUMTEXT on MySQL (TEXT stops at 64 KiB); SQLite reads any type name as TEXT.
          .addColumn("payload", sql`mediumtext`, (col) => col.notNull())
          .addColumn("version", "integer", (col) => col.notNull().defaultTo(0))
          .addColumn("created_at", "bigint", (col) => col.notNull())
          .addColumn("last_activity", "bigint", (col) => col.notNull())
          .addColumn("expires_at", "bigint", (col) => col.notNull())
          .execute();
        await db.schema.createIndex("sessions_user_id_index").on("sessions").column("user_id").execute();
        await db.schema
          .createIndex("sessions_expires_at_index")
          .on("sessions")
          .column("expires_at")
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable("sessions").execute();
      },
    },
  },
};
