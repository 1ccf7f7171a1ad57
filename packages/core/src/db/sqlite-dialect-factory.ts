import { mkdirSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { type Dialect, SqliteDialect } from "kysely";
import type { DbConnectionConfig } from "../config/config-types.js";

/** How long a writer waits for another process's write lock before SQLITE_BUSY, in ms. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens one SQLite file (creating its folder) the way every MARG process must:
 * WAL so the worker and the apps read while one writes, a busy timeout so a
 * concurrent writer waits instead of failing, and foreign keys enforced.
 * better-sqlite3 is loaded by the first open, so a process on MySQL never loads it.
 */
export async function openSqliteDatabase(filename: string): Promise<Database.Database> {
  if (filename !== ":memory:") mkdirSync(path.dirname(filename), { recursive: true });
  const { default: Sqlite } = await import("better-sqlite3");
  const db = new Sqlite(filename, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("foreign_keys = ON");
    // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
    db.pragma("synchronous = NORMAL");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** A Kysely dialect for one connection's SQLite file, opened on first use. */
export function createSqliteDialect(conn: DbConnectionConfig): Dialect {
  return new SqliteDialect({ database: () => openSqliteDatabase(conn.filename) });
}
