import type { Redis } from "ioredis";
import { type Kysely, sql } from "kysely";
import type { QueueTables } from "../queue/queue-tables.js";
import type { QueueBackend } from "../queue/types.js";
import type { QueueStats } from "./types.js";

/** The oldest runnable job's wait, in ms, from whatever the driver stores. */
export type OldestWaitingProbe = () => Promise<number | null>;

/** From the database driver's table: runnable, unreserved jobs, by when they became available. */
export function oldestWaitingInTable(
  db: Kysely<QueueTables>,
  now: () => number = Date.now,
): OldestWaitingProbe {
  return async () => {
    const at = now();
    const row = await db
      .selectFrom("queue_jobs")
      .select(sql<number | string | null>`min(available_at)`.as("oldest"))
      .where("available_at", "<=", at)
      .where((eb) => eb.or([eb("reserved_until", "is", null), eb("reserved_until", "<", at)]))
      .executeTakeFirst();
    return row?.oldest === null || row?.oldest === undefined ? null : at - Number(row.oldest);
  };
}

/**
 * From BullMQ: the job at the head of each queue's wait list, and the first
 * prioritized ones. Keys are `${REDIS_PREFIX}queues:<queue>:…` (see the redis driver).
 */
export function oldestWaitingInBullmq(
  connection: Redis,
  prefix: string,
  queues: () => Promise<readonly string[]>,
  now: () => number = Date.now,
): OldestWaitingProbe {
  return async () => {
    const { Queue } = await import("bullmq");
    let oldest: number | null = null;
    for (const name of await queues()) {
      const queue = new Queue(name, { connection, prefix: `${prefix}queues` });
      try {
        const jobs = [
          ...(await queue.getJobs(["wait"], 0, 0, true)),
          ...(await queue.getJobs(["prioritized"], 0, 49, true)),
        ];
        for (const job of jobs) {
          const since = job.timestamp + (job.delay ?? 0);
          oldest = oldest === null ? since : Math.min(oldest, since);
        }
      } finally {
        await queue.close();
      }
    }
    return oldest === null ? null : Math.max(0, now() - oldest);
  };
}

/** Doctor's and the metrics' view of a queue backend. */
export function createQueueStats(backend: QueueBackend, oldestWaiting: OldestWaitingProbe): QueueStats {
  return {
    driver: backend.driver,
    sizes: () => backend.counts(),
    // Beats expire after three missed heartbeats, so a worker that died silently drops out by itself.
    workersAlive: async () => (await backend.listWorkers()).length,
    async servedQueues() {
      const beats = await backend.listWorkers();
      return [
        ...new Set(beats.filter((beat) => beat.state === "running").flatMap((beat) => beat.queues)),
      ].sort();
    },
    oldestWaitingAgeMs: oldestWaiting,
    async failedCount() {
      return (await backend.counts()).reduce((sum, queue) => sum + queue.failed, 0);
    },
  };
}
