import { type Dialect, type Driver, MysqlDialect } from "kysely";
import type { PoolOptions } from "mysql2";
import type mysql from "mysql2/promise";
import type { DbConnectionConfig } from "../config/config-types.js";
import { driverTarget, mapDriverError } from "./driver-error-mapper.js";
import type { ReplicaTarget } from "./types.js";

/** Connect timeout for the primary, in ms (replicas use less, see databases.ts). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** mysql2 pool settings for a primary, or for a replica when `replica` is given. */
export function mysqlPoolOptions(
  conn: DbConnectionConfig,
  options: { connectTimeoutMs?: number; replica?: ReplicaTarget } = {},
): PoolOptions {
  const { replica } = options;
  return {
    host: replica?.host ?? conn.host,
    port: replica?.port ?? conn.port,
    user: conn.user,
    password: conn.password?.reveal() ?? "",
    // Passed in the handshake, so names like `marg-rbac` need no quoting here.
    database: replica?.database ?? conn.database,
    connectionLimit: conn.poolSize,
    // utf8mb4 on the wire and for the session, matching the databases' collation.
    charset: "utf8mb4_unicode_ci",
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // BIGINT epoch-ms columns come back as numbers (exact below 2^53), like SQLite's.
    supportBigNumbers: true,
    timezone: "Z",
    enableKeepAlive: true,
  };
}

/**
 * A Kysely MySQL dialect whose mysql2 pool is created on first use. mysql2 itself
 * (~17 MB resident) is loaded then too, so a process on SQLite never loads it.
 */
export function createMysqlDialect(
  conn: DbConnectionConfig,
  options: { connectTimeoutMs?: number; replica?: ReplicaTarget } = {},
): Dialect {
  return new MysqlDialect({
    pool: async () => (await import("mysql2")).createPool(mysqlPoolOptions(conn, options)),
  });
}

/** A bare driver for one replica (the routing driver wraps it). */
export function createMysqlReplicaDriver(
  conn: DbConnectionConfig,
  replica: ReplicaTarget,
  connectTimeoutMs: number,
): Driver {
  return createMysqlDialect(conn, { replica, connectTimeoutMs }).createDriver();
}

function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/**
 * Creates the connection's database when it is missing (utf8mb4_unicode_ci), as
 * the seed's setup script does by hand. `marg migrate` calls this first.
 */
export async function ensureMysqlDatabase(
  conn: DbConnectionConfig,
  options: { connectTimeoutMs?: number } = {},
): Promise<{ created: boolean }> {
  const { database: _database, connectionLimit: _limit, ...server } = mysqlPoolOptions(conn, options);
  let admin: mysql.Connection | undefined;
  try {
    const { createConnection } = await import("mysql2/promise");
    admin = await createConnection(server);
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
      [conn.database],
    );
    if (rows.length > 0) return { created: false };
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(conn.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return { created: true };
  } catch (error) {
    throw mapDriverError(error, driverTarget(conn));
  } finally {
    await admin?.end().catch(() => undefined);
  }
}
