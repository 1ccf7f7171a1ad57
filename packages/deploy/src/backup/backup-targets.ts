import path from "node:path";
import type { DbConnectionConfig, MargConfig } from "@marg/core/config";
import type { SqliteSource } from "./sqlite-backup.js";
import type { MysqlTarget } from "./types.js";

/** What an installation's backups cover, read from its apps' configs. */
export interface BackupTargets {
  /** The MySQL server and every MARG database on it (app, rbac, business, the apps' own), or undefined in phase 1. */
  readonly mysql: { readonly target: MysqlTarget; readonly databases: readonly string[] } | undefined;
  /** Every distinct SQLite file (phase 1), labelled by its file name. */
  readonly sqlite: readonly SqliteSource[];
  readonly redis: { readonly host: string; readonly port: number; readonly password?: string } | undefined;
}

/**
 * Collects the databases of every config given (pass one per app, since each
 * app has its own DB_DATABASE). MySQL connections are expected on one server:
 * the first one's host and credentials are used for the dump.
 */
export function backupTargets(configs: readonly MargConfig[]): BackupTargets {
  const connections: DbConnectionConfig[] = configs.flatMap((config) => Object.values(config.db.connections));
  const mysqlConnections = connections.filter((connection) => connection.driver === "mysql");
  const first = mysqlConnections[0];
  const sqliteFiles = [...new Set(connections.filter((c) => c.driver === "sqlite").map((c) => c.filename))];
  const redisConfig = configs.find((config) => config.redis.required)?.redis;
  const password = first?.password?.reveal();
  const redisPassword = redisConfig?.password?.reveal();
  return {
    mysql:
      first === undefined
        ? undefined
        : {
            target: {
              host: first.host,
              port: first.port,
              user: first.user,
              ...(password === undefined ? {} : { password }),
            },
            databases: [...new Set(mysqlConnections.map((connection) => connection.database))],
          },
    sqlite: sqliteFiles.map((file) => ({ label: path.basename(file).replace(/\.[^.]*$/, ""), file })),
    redis:
      redisConfig === undefined
        ? undefined
        : {
            host: redisConfig.host,
            port: redisConfig.port,
            ...(redisPassword === undefined ? {} : { password: redisPassword }),
          },
  };
}
