import { isLagDenied, lagDeniedFix } from "./replica-lag-probe.js";
import type { ReplicaPool } from "./replica-pool.js";
import type { ReplicaLagProbe } from "./types.js";

export interface ReplicaLagMonitor {
  /** Probes every replica once now (the timer does this every interval). */
  probeNow(): Promise<void>;
  stop(): void;
}

/**
 * Probes each replica's lag every `intervalMs` and takes a replica out of
 * rotation while it is more than `maxLagSeconds` behind (or its replication is
 * stopped), so a request never reads data older than the operator allows.
 * A replica whose status the database user may not read stays in use, and the
 * pool reports it once (`replica-lag-unknown`, naming the GRANT to run).
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
          if (isLagDenied(lag)) {
            // Kept in use, as before, but said out loud once: the lag protection is off for it.
            pool.reportLagUnknown(
              replica,
              `the lag probe is refused (the database user lacks ${lag.privilege}), so this replica ` +
                `stays in use however far behind it falls. ${lagDeniedFix(lag)}`,
            );
            pool.setLagging(replica, false, "lag unknown");
            return;
          }
          pool.lagKnown(replica);
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
