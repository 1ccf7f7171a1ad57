import type { ReplicaPool } from "./replica-pool.js";
import type { ReplicaLagProbe } from "./types.js";

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

function lagOf(row: Record<string, unknown>): number | null | undefined {
  for (const column of ["Seconds_Behind_Source", "Seconds_Behind_Master"]) {
    if (!(column in row)) continue;
    const value = row[column];
    return value === null ? null : Number(value);
  }
  return undefined;
}

/**
 * The default probe: `SHOW REPLICA STATUS` (MySQL 8.0.22+, MariaDB 10.5+), falling
 * back to `SHOW SLAVE STATUS` on older servers. A server that is not a replica, or a
 * user without the REPLICATION CLIENT privilege, gives `undefined` (cannot tell).
 */
export const mysqlReplicaLagProbe: ReplicaLagProbe = async (_replica, run) => {
  let rows: readonly Record<string, unknown>[];
  try {
    rows = await run("SHOW REPLICA STATUS");
  } catch (error) {
    const code = errorCode(error);
    if (code === "ER_PARSE_ERROR") rows = await run("SHOW SLAVE STATUS");
    else if (code === "ER_SPECIFIC_ACCESS_DENIED_ERROR" || code === "ER_ACCESS_DENIED_ERROR")
      return undefined;
    else throw error;
  }
  const row = rows[0];
  return row === undefined ? undefined : lagOf(row);
};

export interface ReplicaLagMonitor {
  /** Probes every replica once now (the timer does this every interval). */
  probeNow(): Promise<void>;
  stop(): void;
}

/**
 * Probes each replica's lag every `intervalMs` and takes a replica out of
 * rotation while it is more than `maxLagSeconds` behind (or its replication is
 * stopped), so a request never reads data older than the operator allows.
 */
export function startReplicaLagMonitor(
  pool: ReplicaPool,
  options: { maxLagSeconds: number; intervalMs: number; probe: ReplicaLagProbe },
): ReplicaLagMonitor {
  let running: Promise<void> | undefined;
  const probeAll = async () => {
    await Promise.all(
      pool.replicas.map(async (replica) => {
        if (replica.downUntil > Date.now()) return;
        try {
          const lag = await options.probe(replica.target, (sql) => pool.query(replica, sql));
          if (lag === null) pool.setLagging(replica, true, "replication is stopped");
          else if (lag !== undefined && lag > options.maxLagSeconds) {
            pool.setLagging(replica, true, `${lag}s behind the primary (limit ${options.maxLagSeconds}s)`);
          } else pool.setLagging(replica, false, "caught up");
        } catch (error) {
          pool.markDown(replica, error);
        }
      }),
    );
  };
  const probeNow = () => {
    running ??= probeAll().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => void probeNow(), options.intervalMs);
  // The monitor must never keep a CLI command or a test process alive.
  timer.unref();
  return { probeNow, stop: () => clearInterval(timer) };
}
