import { Kysely } from "kysely";
import type { DbConnectionConfig } from "../../config/index.js";
import { createMysqlDialect } from "../../db/mysql-dialect-factory.js";
import { createSqliteDialect } from "../../db/sqlite-dialect-factory.js";
import type { QueueTables } from "../queue-tables.js";
import type { SqlDialect } from "./database-rows.js";

/**
 * A Kysely on the rbac connection for the database queue driver, opened on first
 * use the way every MARG connection is (WAL and a busy timeout on SQLite; utf8mb4
 * on MySQL), with at least two pooled connections so a claim never waits behind
 * a completion. Its own instance, not the platform's, because workers and
 * commands open the queue without the rest of the platform.
 */
export function createQueueKysely(conn: DbConnectionConfig): {
  db: Kysely<QueueTables>;
  dialect: SqlDialect;
} {
  if (conn.driver === "sqlite")
    return { db: new Kysely<QueueTables>({ dialect: createSqliteDialect(conn) }), dialect: "sqlite" };
  const dialect = createMysqlDialect({ ...conn, poolSize: Math.max(2, conn.poolSize) });
  return { db: new Kysely<QueueTables>({ dialect }), dialect: "mysql" };
}
