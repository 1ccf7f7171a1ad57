import type { DbConnectionConfig } from "../config/config-types.js";
import { isMargError, MargError } from "../errors/index.js";

/** The one place where mysql2 / better-sqlite3 failures become MargErrors. */

/** What a message may name about a database: never its password. */
export interface DriverTarget {
  readonly connection: string;
  readonly driver: "sqlite" | "mysql";
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly filename: string;
  /** Set for a read replica, so messages point at DB_READ_HOSTS. */
  readonly replica?: boolean;
}

export function driverTarget(conn: DbConnectionConfig, replica?: Partial<DriverTarget>): DriverTarget {
  const { name, driver, host, port, database, user, filename } = conn;
  return { connection: name, driver, host, port, database, user, filename, ...replica };
}

/** Errors that mean "the server is not there (any more)", as opposed to a bad statement. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
]);
const ACCESS_CODES = new Set(["ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR"]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // Node's happy-eyeballs connect reports an AggregateError whose parts carry the code.
  const first = (error as { errors?: unknown[] }).errors?.[0];
  return first === undefined ? undefined : errorCode(first);
}

/** True when the error means the database could not be reached (safe to retry a read elsewhere). */
export function isConnectionError(error: unknown): boolean {
  if (isMargError(error)) return error.code === "E_DB_UNAVAILABLE";
  const code = errorCode(error);
  return code !== undefined && CONNECTION_CODES.has(code);
}

function envNames(target: DriverTarget) {
  if (target.replica)
    return { where: "DB_READ_HOSTS", login: "DB_USERNAME / DB_PASSWORD", db: "DB_DATABASE" };
  if (target.connection === "rbac") {
    return {
      where: "RBAC_DB_HOST / RBAC_DB_PORT",
      login: "RBAC_DB_USERNAME / RBAC_DB_PASSWORD",
      db: "RBAC_DB_DATABASE",
    };
  }
  if (target.connection === "business") {
    return {
      where: "BUSINESS_DB_HOST / BUSINESS_DB_PORT",
      login: "DB_USERNAME / DB_PASSWORD",
      db: "BUSINESS_DB_DATABASE",
    };
  }
  return { where: "DB_HOST / DB_PORT", login: "DB_USERNAME / DB_PASSWORD", db: "DB_DATABASE" };
}

function mapMysqlError(error: unknown, target: DriverTarget, code: string): MargError | undefined {
  const names = envNames(target);
  const role = target.replica ? "read replica" : "MySQL";
  const at = `${role} at ${target.host}:${target.port} (database \`${target.database}\`, connection ${target.connection})`;
  const options = { cause: error, details: { connection: target.connection, driverCode: code } };
  if (CONNECTION_CODES.has(code)) {
    return new MargError(
      "E_DB_UNAVAILABLE",
      `Cannot reach ${at}: ${code}. Start MySQL/MariaDB there, or fix ${names.where}.`,
      { ...options, status: 503 },
    );
  }
  if (ACCESS_CODES.has(code)) {
    return new MargError(
      "E_DB_ACCESS_DENIED",
      `${at} refused user '${target.user}' (access denied). Fix ${names.login}, ` +
        `or GRANT ALL ON \`${target.database}\`.* TO '${target.user}'.`,
      { ...options, status: 503 },
    );
  }
  if (code === "ER_BAD_DB_ERROR") {
    return new MargError(
      "E_DB_UNKNOWN_DATABASE",
      `Database \`${target.database}\` does not exist on ${target.host}:${target.port} (connection ${target.connection}). ` +
        `Run \`marg migrate\` (it creates missing databases), or fix ${names.db}.`,
      { ...options, status: 503 },
    );
  }
  return undefined;
}

const SQLITE_OPEN_CODES = new Set(["SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_NOTADB", "SQLITE_CORRUPT"]);
const FS_CODES = new Set(["EACCES", "EPERM", "EROFS", "ENOTDIR", "ENOSPC"]);

function mapSqliteError(error: unknown, target: DriverTarget, code: string): MargError | undefined {
  if (!SQLITE_OPEN_CODES.has(code) && !FS_CODES.has(code)) return undefined;
  const fix =
    code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT"
      ? "the file is damaged: restore it from a backup, or move it away to start empty"
      : "make sure STORAGE_PATH exists and is writable by this user";
  return new MargError(
    "E_DB_UNAVAILABLE",
    `Cannot open SQLite database ${target.filename} (connection ${target.connection}): ${code}. Fix: ${fix}.`,
    { cause: error, status: 503, details: { connection: target.connection, driverCode: code } },
  );
}

/**
 * Turns a driver failure into a MargError naming where and what to do; errors of
 * the statement itself (syntax, duplicate key) are returned unchanged.
 */
export function mapDriverError(error: unknown, target: DriverTarget): unknown {
  if (isMargError(error)) return error;
  const code = errorCode(error);
  if (code === undefined) return error;
  const mapped =
    target.driver === "mysql" ? mapMysqlError(error, target, code) : mapSqliteError(error, target, code);
  return mapped ?? error;
}
