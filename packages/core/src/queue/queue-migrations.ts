import { type Kysely, sql } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";

// Kysely's Migration hands migrations a Kysely<any>; these helpers keep that type out of our code.
type SchemaDb = Parameters<NonNullable<MigrationSet["migrations"][string]["down"]>>[0];

async function createJobTables(db: SchemaDb): Promise<void> {
  await db.schema
    .createTable("queue_jobs")
    .addColumn("seq", "integer", (col) => col.primaryKey().autoIncrement())
    .addColumn("id", "varchar(191)", (col) => col.notNull().unique())
    .addColumn("queue", "varchar(64)", (col) => col.notNull())
    .addColumn("name", "varchar(191)", (col) => col.notNull())
    .addColumn("payload", sql`mediumtext`, (col) => col.notNull())
    .addColumn("priority", "integer", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("stalls", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer")
    .addColumn("backoff_type", "varchar(16)", (col) => col.notNull())
    .addColumn("backoff_ms", "integer", (col) => col.notNull())
    .addColumn("timeout_ms", "integer")
    .addColumn("available_at", "bigint", (col) => col.notNull())
    .addColumn("reserved_until", "bigint")
    .addColumn("reserved_by", "varchar(191)")
    .addColumn("reservation", "varchar(64)")
    .addColumn("last_error", "text")
    .addColumn("dispatched_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("queue_jobs_claim_index")
    .on("queue_jobs")
    .columns(["queue", "priority", "available_at"])
    .execute();
  await db.schema
    .createTable("queue_failed_jobs")
    .addColumn("id", "varchar(191)", (col) => col.primaryKey())
    .addColumn("queue", "varchar(64)", (col) => col.notNull())
    .addColumn("name", "varchar(191)", (col) => col.notNull())
    .addColumn("payload", sql`mediumtext`, (col) => col.notNull())
    .addColumn("error", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull())
    .addColumn("stalls", "integer", (col) => col.notNull())
    .addColumn("priority", "integer", (col) => col.notNull())
    .addColumn("max_attempts", "integer")
    .addColumn("backoff_type", "varchar(16)", (col) => col.notNull())
    .addColumn("backoff_ms", "integer", (col) => col.notNull())
    .addColumn("timeout_ms", "integer")
    .addColumn("dispatched_at", "bigint", (col) => col.notNull())
    .addColumn("failed_at", "bigint", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("queue_failed_jobs_failed_at_index")
    .on("queue_failed_jobs")
    .column("failed_at")
    .execute();
}

async function createCoordinationTables(db: SchemaDb): Promise<void> {
  await db.schema
    .createTable("queue_workers")
    .addColumn("id", "varchar(191)", (col) => col.primaryKey())
    .addColumn("host", "varchar(191)", (col) => col.notNull())
    .addColumn("pid", "integer", (col) => col.notNull())
    .addColumn("queues", "varchar(1000)", (col) => col.notNull())
    .addColumn("state", "varchar(16)", (col) => col.notNull())
    .addColumn("started_at", "bigint", (col) => col.notNull())
    .addColumn("last_seen_at", "bigint", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .addColumn("processed", "integer", (col) => col.notNull())
    .addColumn("failed", "integer", (col) => col.notNull())
    .addColumn("completed_last_minute", "integer", (col) => col.notNull())
    .addColumn("failed_last_minute", "integer", (col) => col.notNull())
    .execute();
  await db.schema
    .createTable("queue_claims")
    .addColumn("claim_key", "varchar(191)", (col) => col.primaryKey())
    .addColumn("owner", "varchar(191)", (col) => col.notNull())
    .addColumn("expires_at", "bigint", (col) => col.notNull())
    .execute();
}

/**
 * Tables of the database queue driver, in the shared rbac database every app
 * and worker uses: jobs, failed jobs, live workers, scheduler claims.
 */
export const queueMigrations: MigrationSet = {
  source: "core:queue",
  connection: "rbac",
  migrations: {
    "2026_11_25_180000_create_queue_tables": {
      async up(db) {
        await createJobTables(db);
        await createCoordinationTables(db);
      },
      async down(db) {
        for (const table of ["queue_claims", "queue_workers", "queue_failed_jobs", "queue_jobs"]) {
          await db.schema.dropTable(table).ifExists().execute();
        }
      },
    },
  },
};

/** Applies the queue migrations directly (tests and scratch databases; apps use `marg migrate`). */
export async function applyQueueMigrations<DB>(db: Kysely<DB>): Promise<void> {
  for (const migration of Object.values(queueMigrations.migrations))
    await migration.up(db as unknown as SchemaDb);
}
