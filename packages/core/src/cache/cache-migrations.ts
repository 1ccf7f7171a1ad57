import { type Kysely, type Migration, sql } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";
import { sqlDialectOf } from "../db/sql-dialect.js";

/** Row of the `cache` table of the database cache store. */
export interface CacheTable {
  /** The full key, prefix included. Case-sensitive on both dialects. */
  key: string;
  /** JSON text. */
  value: string;
  /** Epoch ms after which the entry is dead; null for never. */
  expires_at: number | null;
}

export interface CacheTables {
  cache: CacheTable;
}

const createCacheTable: Migration = {
  async up(db: Kysely<unknown>) {
    const mysql = sqlDialectOf(db) === "mysql";
    await db.schema
      .createTable("cache")
      // MySQL's default collation folds case; keys must not (`User:1` ≠ `user:1`).
      .addColumn(
        "key",
        mysql ? sql`varchar(255) character set utf8mb4 collate utf8mb4_bin` : "varchar(255)",
        (c) => c.primaryKey().notNull(),
      )
      .addColumn("value", mysql ? sql`mediumtext` : "text", (c) => c.notNull())
      .addColumn("expires_at", "bigint")
      .execute();
    await db.schema.createIndex("cache_expires_at_index").on("cache").column("expires_at").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("cache").execute();
  },
};

/** The table of the database cache store, on the shared `rbac` connection (every app reads one cache). */
export const cacheMigrations: MigrationSet = {
  source: "core:cache",
  connection: "rbac",
  migrations: { "2026_11_25_190000_create_cache_table": createCacheTable },
};
