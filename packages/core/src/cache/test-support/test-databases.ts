import path from "node:path";
import SQLite from "better-sqlite3";
import {
  Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  MysqlDialect,
  SqliteDialect,
} from "kysely";
import { createPool } from "mysql2";
import type { MigrationSet } from "../../db/migration-types.js";
import { createScratchMysqlDatabase, createTempDir, TEST_MYSQL } from "../../testing/index.js";

export type SqlTestDriver = "sqlite" | "mysql";

/** Where a test database lives, so a second process (or a second pool) can open the same one. */
export interface TestDatabaseLocation {
  readonly driver: SqlTestDriver;
  /** SQLite file, or MySQL database name. */
  readonly target: string;
}

export interface TestDatabase<T> {
  readonly location: TestDatabaseLocation;
  readonly db: Kysely<T>;
  /** Drops the scratch database / deletes the temp folder and closes every pool opened here. */
  destroy(): Promise<void>;
}

/** Opens a Kysely on a test database: SQLite in WAL mode (several processes share it) or MariaDB. */
export function openTestKysely<T>(location: TestDatabaseLocation): Kysely<T> {
  if (location.driver === "sqlite") {
    const sqlite = new SQLite(location.target);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("foreign_keys = ON"); // as the DB layer opens it in production
    return new Kysely<T>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const pool = createPool({ ...TEST_MYSQL, database: location.target, connectionLimit: 4 });
  return new Kysely<T>({ dialect: new MysqlDialect({ pool }) });
}

/**
 * A fresh, empty database for one suite: a SQLite file in a temp dir (or at
 * `sqliteFile`, whose folder must exist) or a scratch MariaDB database.
 */
export async function createTestDatabase<T>(
  driver: SqlTestDriver,
  label: string,
  options: { sqliteFile?: string } = {},
): Promise<TestDatabase<T>> {
  if (driver === "sqlite") {
    const dir = createTempDir(label);
    const location = { driver, target: options.sqliteFile ?? path.join(dir.path, "rbac.sqlite") } as const;
    const db = openTestKysely<T>(location);
    return {
      location,
      db,
      async destroy() {
        await db.destroy();
        dir.remove();
      },
    };
  }
  const scratch = await createScratchMysqlDatabase(label);
  const location = { driver, target: scratch.name } as const;
  const db = openTestKysely<T>(location);
  return {
    location,
    db,
    async destroy() {
      await db.destroy();
      await scratch.drop();
    },
  };
}

/** Runs migration sets with Kysely's own Migrator (the DB helper's migrator replaces this in apps). */
export async function runTestMigrations<T>(db: Kysely<T>, sets: readonly MigrationSet[]): Promise<void> {
  const all: Record<string, Migration> = {};
  for (const set of sets) Object.assign(all, set.migrations);
  const provider: MigrationProvider = { getMigrations: async () => all };
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) throw error;
}
