import type { HealthCheck } from "./types.js";

export interface QueueBacklogOptions {
  /** HEALTH_QUEUE_MAX: above this many waiting jobs the queue reports "backlog" (seed: 1000). */
  readonly max: number;
  /**
   * HEALTH_BACKLOG_UNHEALTHY: a backlog makes /health answer 503. Default false:
   * a backlog is the workers' problem, and taking every web server out of
   * rotation for it would turn slow background jobs into a full outage.
   */
  readonly critical: boolean;
}

/**
 * The seed's `queue` entry of /health: "healthy" up to `max` waiting jobs,
 * "backlog" above it (503 only when `critical`), and a failure — so 503 —
 * when the queue store cannot say how big the queue is.
 *
 * @example
 * registerHealthRoutes(app, platform, [
 *   queueBacklogCheck(async () => (await backend.counts()).reduce((n, q) => n + q.waiting, 0),
 *     { max: config.health.queueMax, critical: config.health.backlogUnhealthy }),
 * ]);
 */
export function queueBacklogCheck(
  size: (signal: AbortSignal) => Promise<number>,
  options: QueueBacklogOptions,
): HealthCheck {
  return {
    name: "queue",
    async run(signal) {
      const waiting = await size(signal);
      if (waiting > options.max) {
        return { status: "backlog", degraded: true, critical: options.critical, value: waiting };
      }
      return { status: "healthy", value: waiting };
    },
  };
}
