import type { DbConnectionConfig } from "../config/config-types.js";
import { createMysqlReplicaDriver } from "../db/mysql-dialect-factory.js";
import { isLagDenied, lagDeniedFix, mysqlReplicaLagProbe } from "../db/replica-lag-probe.js";
import { ReplicaPool } from "../db/replica-pool.js";
import type { ReplicaLag, ReplicaTarget } from "../db/types.js";
import type { UsedDatabase } from "./database-connections.js";
import { type Finding, ok, warn } from "./types.js";

const CONNECT_TIMEOUT_MS = 3000;

interface ReadReplica {
  readonly conn: DbConnectionConfig;
  readonly target: ReplicaTarget;
}

/** Each read replica (DB_READ_HOSTS) once, by `host:port`, with the first connection that reads from it. */
function readReplicas(databases: readonly UsedDatabase[]): Map<string, ReadReplica> {
  const servers = new Map<string, ReadReplica>();
  for (const used of databases) {
    const conn = used.config.db.connections[used.name];
    if (conn.driver !== "mysql") continue;
    for (const { host, port } of conn.readHosts) {
      const server = `${host}:${port}`;
      if (!servers.has(server)) servers.set(server, { conn, target: { host, port } });
    }
  }
  return servers;
}

/** Runs the apps' own lag probe on one replica, as the apps' user, over a connection of its own. */
async function probe(conn: DbConnectionConfig, target: ReplicaTarget): Promise<ReplicaLag> {
  const pool = new ReplicaPool({
    connection: conn.name,
    replicas: [target],
    primaryDatabase: conn.database,
    createDriver: (each) => createMysqlReplicaDriver(conn, each, CONNECT_TIMEOUT_MS),
    retryMs: 0,
  });
  try {
    const [replica] = pool.replicas;
    if (replica === undefined) return undefined;
    return await mysqlReplicaLagProbe(target, (statement) => pool.query(replica, statement));
  } finally {
    await pool.destroy().catch(() => undefined);
  }
}

function finding(server: string, conn: DbConnectionConfig, lag: ReplicaLag): Finding {
  const id = `database.replica-lag.${server}`;
  const limit = conn.replicaMaxLagSeconds;
  if (isLagDenied(lag)) {
    return warn(
      id,
      `${server}: the replica lag probe is refused (${conn.user} lacks ${lag.privilege}), so the apps keep reading from this replica however far behind it falls`,
      lagDeniedFix(lag),
    );
  }
  if (lag === undefined) {
    return warn(
      id,
      `${server}: not a replica (SHOW REPLICA STATUS is empty), so its data does not follow the primary and its lag cannot be measured`,
      "Set it up as a replica (/root/marg-sql/02-replication.sql), or take it out of DB_READ_HOSTS",
    );
  }
  if (lag === null) {
    return warn(
      id,
      `${server}: replication is stopped; the apps skip this replica until it runs again`,
      "On the replica: SHOW REPLICA STATUS\\G (MariaDB: SHOW SLAVE STATUS\\G) for Last_IO_Error / Last_SQL_Error, then START REPLICA",
    );
  }
  if (limit > 0 && lag > limit) {
    return warn(
      id,
      `${server}: ${lag} s behind the primary (DB_REPLICA_MAX_LAG ${limit} s); the apps skip it until it catches up`,
      "Look for long writes on the primary or a slow disk on the replica",
    );
  }
  return ok(id, `${server}: ${lag} s behind the primary (limit ${limit === 0 ? "off" : `${limit} s`})`);
}

/**
 * Each read replica, probed as the apps probe it: a lag within DB_REPLICA_MAX_LAG is
 * ok; a refused probe (the user lacks SLAVE MONITOR / REPLICATION CLIENT), a server
 * that is not a replica, stopped replication, too much lag or no answer warn.
 */
export async function checkReplicaLag(databases: readonly UsedDatabase[]): Promise<Finding[]> {
  const replicas = readReplicas(databases);
  if (replicas.size === 0) return [ok("database.replica-lag", "no read replicas (DB_READ_HOSTS unset)")];
  return Promise.all(
    [...replicas].map(async ([server, { conn, target }]) => {
      try {
        return finding(server, conn, await probe(conn, target));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return warn(
          `database.replica-lag.${server}`,
          `${server}: the read replica does not answer (${typeof code === "string" ? code : (error as Error).message}); reads fall back to the primary`,
          "Start it, or correct DB_READ_HOSTS; check the firewall (port 3306) and that DB_USERNAME may log in there",
        );
      }
    }),
  );
}
