/**
 * marg-rbac on each SQL driver, for the audit log's conformance suite: a temp
 * SQLite file or a scratch MariaDB database, with core's users table and the
 * audit log migrated (up and down by hand, so the suite can test both).
 */
import { authMigrations } from "@marg/core/auth";
import type { MigrationSet } from "@marg/core/db";
import { createScratchMysqlDatabase, createTempDir, TEST_MYSQL } from "@marg/core/testing";
import SQLite from "better-sqlite3";
import { Kysely, MysqlDialect, SqliteDialect, sql } from "kysely";
import { createPool } from "mysql2";
import type { AdminDatabase } from "../database.js";

export interface AuditDb {
  readonly db: Kysely<AdminDatabase>;
  /** Index name → its columns in order, for one table. */
  indexes(table: string): Promise<Record<string, string[]>>;
  cleanup(): Promise<void>;
}

export interface AuditDbDriver {
  readonly name: "sqlite" | "mysql";
  open(label: string): Promise<AuditDb>;
}

/** Runs a set's migrations in name order, up or down. */
export async function migrateSet(db: Kysely<AdminDatabase>, set: MigrationSet, direction: "up" | "down") {
  const names = Object.keys(set.migrations).sort();
  for (const name of direction === "up" ? names : names.reverse()) {
    const migration = set.migrations[name];
    if (direction === "up") await migration?.up(db as Kysely<unknown>);
    else await migration?.down?.(db as Kysely<unknown>);
  }
}

export const SQLITE_DRIVER: AuditDbDriver = {
  name: "sqlite",
  async open(label) {
    const dir = createTempDir(label);
    const db = new Kysely<AdminDatabase>({
      dialect: new SqliteDialect({ database: new SQLite(`${dir.path}/marg-rbac.sqlite`) }),
    });
    await migrateSet(db, authMigrations, "up");
    return {
      db,
      async indexes(table) {
        const list = await sql<{ name: string }>`select name from pragma_index_list(${table})`.execute(db);
        const out: Record<string, string[]> = {};
        for (const { name } of list.rows) {
          const columns = await sql<{ name: string }>`select name from pragma_index_info(${name})`.execute(
            db,
          );
          out[name] = columns.rows.map((column) => column.name);
        }
        return out;
      },
      async cleanup() {
        await db.destroy();
        dir.remove();
      },
    };
  },
};

export const MYSQL_DRIVER: AuditDbDriver = {
  name: "mysql",
  async open(label) {
    const scratch = await createScratchMysqlDatabase(label);
    const db = new Kysely<AdminDatabase>({
      dialect: new MysqlDialect({
        pool: createPool({ ...TEST_MYSQL, database: scratch.name, connectionLimit: 3 }),
      }),
    });
    await migrateSet(db, authMigrations, "up");
    return {
      db,
      async indexes(table) {
        const rows = await sql<{ INDEX_NAME: string; COLUMN_NAME: string }>`
          select INDEX_NAME, COLUMN_NAME from information_schema.STATISTICS
          where TABLE_SCHEMA = ${scratch.name} and TABLE_NAME = ${table}
          order by INDEX_NAME, SEQ_IN_INDEX`.execute(db);
        const out: Record<string, string[]> = {};
        for (const row of rows.rows) out[row.INDEX_NAME] = [...(out[row.INDEX_NAME] ?? []), row.COLUMN_NAME];
        return out;
      },
      async cleanup() {
        await db.destroy();
        await scratch.drop();
      },
    };
  },
};
