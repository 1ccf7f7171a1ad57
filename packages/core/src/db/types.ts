import type { Kysely } from "kysely";
import type { DbConnectionConfig } from "../config/config-types.js";
import type { ConnectionName } from "./migration-types.js";

/**
 * Where a read replica listens. `database` defaults to the primary's database name;
 * tests set it to a second database on the same server to stand in for a replica.
 */
export interface ReplicaTarget {
  readonly host: string;
  readonly port: number;
  readonly database?: string;
}

/**
 * The server refused to show the replica status to this account: the lag cannot be
 * measured until the account holds `privilege`. The replica stays in use, and the
 * lag monitor warns once (a `replica-lag-unknown` event).
 */
export interface ReplicaLagDenied {
  readonly denied: true;
  /** What the server asked for: `SLAVE MONITOR` (MariaDB 10.5.9+), `REPLICATION CLIENT` (MySQL 8). */
  readonly privilege: string;
  /** The account the server matched, `'marg_app'@'192.168.1.10'`, when it could be read. */
  readonly account: string | undefined;
  /** The server's own error message. */
  readonly message: string;
}

/**
 * How far a replica is behind, in seconds. `undefined`: cannot tell (the server
 * reports no replica status: not a replica); the replica stays in use. `null`:
 * replication is broken (Seconds_Behind_Master is NULL); the replica is skipped.
 * A `ReplicaLagDenied`: the account may not read the status; the replica stays in use.
 */
export type ReplicaLag = number | null | undefined | ReplicaLagDenied;

/** Measures a replica's lag (see ReplicaLag). */
export type ReplicaLagProbe = (replica: ReplicaTarget, run: ReplicaQuery) => Promise<ReplicaLag>;

/** Runs one SQL statement on the replica being probed and returns its rows. */
export type ReplicaQuery = (sql: string) => Promise<readonly Record<string, unknown>[]>;

/**
 * Something worth a log line or a metric: a replica left or rejoined the rotation,
 * or its lag cannot be measured because the account lacks a privilege (once per replica).
 */
export interface DatabaseEvent {
  readonly type: "replica-down" | "replica-up" | "replica-lag-unknown";
  readonly connection: string;
  readonly replica: string;
  readonly reason?: string;
}

export interface DatabasesOptions {
  /** Send plain reads to the read replicas (default true). Migrations and seeders pass false. */
  readonly readReplicas?: boolean;
  /** Replaces the configured readHosts of a connection (tests point this at a scratch database). */
  readonly replicas?: Partial<Record<ConnectionName, readonly ReplicaTarget[]>>;
  /** How long a replica that failed stays out of rotation, in ms (default 30 000). */
  readonly replicaRetryMs?: number;
  /** MySQL connect timeout in ms (default 5 000; replicas use at most 3 000 so a dead one fails fast). */
  readonly connectTimeoutMs?: number;
  /** How the lag of a replica is measured (default: SHOW REPLICA STATUS). */
  readonly lagProbe?: ReplicaLagProbe;
  /** How often lag is probed, in ms (default 5 000). Probing is off when replicaMaxLagSeconds is 0. */
  readonly lagProbeIntervalMs?: number;
  /** Called when a replica leaves or rejoins the rotation. */
  readonly onEvent?: (event: DatabaseEvent) => void;
  /**
   * Called once per opened connection with a reader of its primary pool's usage
   * (what `marg_db_pool_connections` shows); the returned function is called on destroy.
   */
  readonly countPool?: (connection: string, usage: () => PoolUsage) => () => void;
}

/**
 * Connections of one SQL pool right now: in use (held by a query or transaction)
 * and the pool's limit. The database layer counts them; metrics reads them.
 */
export interface PoolUsage {
  readonly inUse: number;
  readonly max: number;
}

/** The answer of `Databases.ping`: never throws, so /health can report every connection. */
export interface PingResult {
  readonly connection: ConnectionName;
  readonly ok: boolean;
  readonly latencyMs: number;
  /** MargError code when not ok (E_DB_UNAVAILABLE, E_DB_ACCESS_DENIED, …). */
  readonly code?: string;
  /** What went wrong and what to do; never a password. */
  readonly message?: string;
  /** Replicas and whether each is in rotation right now (no query is sent to them). */
  readonly replicas?: readonly { readonly replica: string; readonly up: boolean }[];
}

/**
 * The SQL connections of one app process. Connections open lazily on first use
 * and are cached; `destroy()` closes them all.
 *
 * @example
 * const databases = createDatabases(config);
 * const rows = await databases.connection<RbacTables>("rbac").selectFrom("users").selectAll().execute();
 * await databases.destroy();
 */
export interface Databases {
  /** The Kysely instance of a named connection (created on first call). */
  connection<Tables>(name: ConnectionName): Kysely<Tables>;
  /** The resolved settings of a connection. */
  settings(name: ConnectionName): DbConnectionConfig;
  /** Runs `select 1` on the primary within `timeoutMs` (default 2 000). */
  ping(name: ConnectionName, options?: { timeoutMs?: number }): Promise<PingResult>;
  /** Closes every opened connection; the object is unusable afterwards. */
  destroy(): Promise<void>;
}
