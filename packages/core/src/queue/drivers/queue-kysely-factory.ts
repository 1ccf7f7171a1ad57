import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, MysqlDialect, SqliteDialect } from "kysely";
import { createPool } from "mysql2";
import type { DbConnectionConfig } from "../../config/index.js";
import type { QueueTables } from "../queue-tables.js";
import type { SqlDialect } from "./database-rows.js";

/**
 * Opens a Kysely on the rbac connection for the database queue driver.
 * Stand-in until core's `createDatabases` lands; swap this one function for it.
 */
export function createQueueKysely(conn: DbConnectionConfig): {
  db: Kysely<QueueTables>;
  dialect: SqlDialect;
} {
  if (conn.driver === "sqlite") {
    if (conn.filename !== ":memory:") mkdirSync(path.dirname(conn.filename), { recursive: true });
    const sqlite = new Database(conn.filename, { timeout: 5000 });
    // WAL lets the apps read while a worker writes; the busy timeout makes writers queue, not fail.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    sqlite.pragma("synchronous = NORMAL");
    return {
      db: new Kysely<QueueTables>({ dialect: new SqliteDialect({ database: sqlite }) }),
      dialect: "sqlite",
    };
  }
  const pool = createPool({
    host: conn.host,
    port: conn.port,
    user: conn.user,
    password: conn.password?.reveal() ?? "",
    database: conn.database,
    connectionLimit: Math.max(2, conn.poolSize),
    charset: "utf8mb4",
  });
  return { db: new Kysely<QueueTables>({ dialect: new MysqlDialect({ pool }) }), dialect: "mysql" };
}
