import { Kysely } from "kysely";
import type { DbConnectionConfig } from "../config/config-types.js";
import { requireRequestScopes } from "../context/index.js";
import { driverTarget, mapDriverError } from "./driver-error-mapper.js";
import {
  createMysqlDialect,
  createMysqlReplicaDriver,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from "./mysql-dialect-factory.js";
import { countPoolUsage } from "./pool-usage-dialect.js";
import { readWriteDialect } from "./read-write-dialect.js";
import { type ReplicaLagMonitor, startReplicaLagMonitor } from "./replica-lag-monitor.js";
import { mysqlReplicaLagProbe } from "./replica-lag-probe.js";
import { ReplicaPool } from "./replica-pool.js";
import { createSqliteDialect } from "./sqlite-dialect-factory.js";
import type { DatabasesOptions, ReplicaTarget } from "./types.js";

/** A dead replica must fail fast: reads wait for its connect timeout before falling back. */
const REPLICA_CONNECT_TIMEOUT_MS = 3000;

/** One opened connection: its Kysely instance and, for MySQL with replicas, the replica machinery. */
export interface ConnectionHandle {
  readonly db: Kysely<unknown>;
  readonly settings: DbConnectionConfig;
  readonly replicas: ReplicaPool | undefined;
  readonly lagMonitor: ReplicaLagMonitor | undefined;
}

function replicaPoolFor(
  conn: DbConnectionConfig,
  targets: readonly ReplicaTarget[],
  options: DatabasesOptions,
) {
  if (conn.driver !== "mysql" || options.readReplicas === false || targets.length === 0) return undefined;
  const timeout = Math.min(
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    REPLICA_CONNECT_TIMEOUT_MS,
  );
  return new ReplicaPool({
    connection: conn.name,
    replicas: targets,
    primaryDatabase: conn.database,
    createDriver: (target) => createMysqlReplicaDriver(conn, target, timeout),
    retryMs: options.replicaRetryMs ?? 30_000,
    onEvent: options.onEvent,
  });
}

/**
 * Builds the Kysely instance of one connection: SQLite or MySQL, wrapped in the
 * read/write router (which also records writes in the request scope and maps
 * driver failures to MargErrors). Nothing connects until the first query.
 */
export function createConnection(
  conn: DbConnectionConfig,
  options: DatabasesOptions & { replicaTargets?: readonly ReplicaTarget[] | undefined } = {},
): ConnectionHandle {
  const opened =
    conn.driver === "sqlite"
      ? createSqliteDialect(conn)
      : createMysqlDialect(
          conn,
          options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs },
        );
  // SQLite runs one statement at a time on its one connection.
  const counted =
    options.countPool === undefined
      ? undefined
      : countPoolUsage(opened, conn.driver === "sqlite" ? 1 : conn.poolSize);
  const base = counted?.dialect ?? opened;
  const stopCounting = counted === undefined ? undefined : options.countPool?.(conn.name, counted.usage);
  const replicas = replicaPoolFor(conn, options.replicaTargets ?? conn.readHosts, options);
  // Reads now follow the request's own writes (routing-connection.ts): web requests need their scope.
  if (replicas !== undefined) requireRequestScopes();
  const lagMonitor =
    replicas !== undefined && conn.replicaMaxLagSeconds > 0
      ? startReplicaLagMonitor(replicas, {
          maxLagSeconds: conn.replicaMaxLagSeconds,
          intervalMs: options.lagProbeIntervalMs ?? 5000,
          probe: options.lagProbe ?? mysqlReplicaLagProbe,
        })
      : undefined;
  const target = driverTarget(conn);
  const dialect = readWriteDialect(base, {
    connection: conn.name,
    replicas,
    sticky: conn.sticky,
    mapError: (error) => mapDriverError(error, target),
    onDestroy: () => {
      lagMonitor?.stop();
      stopCounting?.();
    },
  });
  return { db: new Kysely<unknown>({ dialect }), settings: conn, replicas, lagMonitor };
}
