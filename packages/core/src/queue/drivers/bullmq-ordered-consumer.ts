import { randomUUID } from "node:crypto";
import { type Job, Worker, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { ConsumeOptions, QueueLogger } from "../types.js";

/** Longest an idle worker waits on the queues' markers before looking again (delayed jobs coming due). */
const IDLE_WAIT_SECONDS = 1;

/** A BullMQ Worker driven from outside: it fetches nothing itself, and renews the locks of what it runs. */
class DrivenWorker extends Worker {
  startLockRenewal(): void {
    this.lockManager.start();
  }
}

/**
 * `--queue=high,default` on Redis: BullMQ gives each queue its own Worker, each fetching on its
 * own, so `default` runs beside `high` instead of after it. Here one set of `concurrency` slots
 * serves every queue: a free slot takes the next job of the first queue that has one, the way
 * the database driver does. The Workers only run the jobs (locks, retries with core's backoff,
 * stalled checks) — `processJob` is the same code path BullMQ's own loop uses.
 * An idle slot blocks on the queues' marker keys (BZPOPMIN, what BullMQ blocks on), so a new
 * job on any of them wakes it at once.
 */
export function startOrderedBullmqConsumer(params: {
  connection: Redis;
  prefix: string;
  options: ConsumeOptions;
  processor: (job: Job) => Promise<void>;
  settings: WorkerOptions["settings"];
  logger: QueueLogger;
}): { close(): Promise<void> } {
  const { options, logger } = params;
  const workers = options.queues.map((queueName) => {
    const worker = new DrivenWorker(queueName, params.processor, {
      connection: params.connection,
      prefix: params.prefix,
      name: options.workerId,
      autorun: false,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalls,
      ...(params.settings === undefined ? {} : { settings: params.settings }),
    });
    worker.on("error", (error) =>
      logger.error({ queue: queueName, err: error.message }, "BullMQ worker error"),
    );
    return worker;
  });
  const markers = options.queues.map((queueName) => `${params.prefix}:${queueName}:marker`);
  const blocker = params.connection.duplicate();
  blocker.on("error", (error: Error) => logger.warn({ err: error.message }, "queue marker wait failed"));
  let closing = false;
  let idle: Promise<void> | undefined;

  /** One wait shared by every idle slot: until a marker arrives on any queue, or IDLE_WAIT_SECONDS. */
  const waitForWork = () => {
    idle ??= blocker
      .bzpopmin(...markers, IDLE_WAIT_SECONDS)
      .then(
        () => undefined,
        () =>
          closing ? undefined : new Promise<void>((resolve) => setTimeout(resolve, IDLE_WAIT_SECONDS * 1000)),
      )
      .finally(() => {
        idle = undefined;
      });
    return idle;
  };

  const nextJob = async (token: string): Promise<{ worker: DrivenWorker; job: Job } | undefined> => {
    for (const worker of workers) {
      const job = await worker.getNextJob(token, { block: false });
      if (job !== undefined) return { worker, job };
    }
    return undefined;
  };

  const slot = async () => {
    while (!closing) {
      const token = `${options.workerId}:${randomUUID()}`;
      let found: Awaited<ReturnType<typeof nextJob>>;
      try {
        found = await nextJob(token);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, "could not fetch the next job; trying again");
        await new Promise((resolve) => setTimeout(resolve, IDLE_WAIT_SECONDS * 1000));
        continue;
      }
      if (found === undefined) {
        if (!closing) await waitForWork();
        continue;
      }
      // On completion BullMQ can hand over the same queue's next job in the same round trip.
      // Only the first queue may: nothing outranks it. After a job of a later queue, the slot
      // looks at the earlier queues again.
      const { worker } = found;
      const first = worker === workers[0];
      let job: Job | undefined = found.job;
      while (job !== undefined) {
        // processJob resolves to the handed-over job, or to nothing.
        job = (await worker.processJob(job, token, () => first && !closing)) ?? undefined;
      }
    }
  };

  const started = (async () => {
    for (const worker of workers) {
      await worker.startStalledCheckTimer();
      worker.startLockRenewal();
    }
    return Promise.all(Array.from({ length: options.concurrency }, () => slot()));
  })();

  return {
    async close() {
      closing = true;
      blocker.disconnect();
      await started.catch((error: Error) => logger.error({ err: error.message }, "queue consumer stopped"));
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
