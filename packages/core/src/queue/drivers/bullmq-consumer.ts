import { type Job, UnrecoverableError, Worker, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { ConsumeOptions, JobProcessor, QueueConsumer, QueueLogger } from "../types.js";
import { reservedJobOf } from "./bullmq-job-mapping.js";
import { startOrderedBullmqConsumer } from "./bullmq-ordered-consumer.js";

/** Thrown back to BullMQ to retry; carries the delay core computed for the backoff strategy. */
class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/**
 * One BullMQ Worker for one queue (the fast path: BullMQ's own fetch loop); several queues
 * go through the ordered consumer, which takes from them in `--queue` order. Both call core's processor. Core decides
 * retry or fail; this maps the decision onto BullMQ: a retry is a thrown error
 * whose delay our custom backoff strategy returns, a final failure is an
 * UnrecoverableError (so BullMQ's own attempt count never retries it).
 *
 * Crash recovery is BullMQ's stalled-job check: a lock not renewed within
 * `lockDuration` marks the job stalled, the next check (every
 * `stalledInterval`) puts it back in wait, and past `maxStalledCount` stalls
 * it fails with "job stalled more than allowable limit".
 */
export function startBullmqConsumer(params: {
  connection: Redis;
  prefix: string;
  options: ConsumeOptions;
  processor: JobProcessor;
  logger: QueueLogger;
}): QueueConsumer {
  const { options, processor, logger } = params;
  // BullMQ aborts the signal it hands a three-parameter processor only on Worker.cancelJob(),
  // which MARG never calls; a two-parameter processor spares it an AbortController per job.
  const neverAborted = new AbortController().signal;
  const run = async (job: Job) => {
    const outcome = await processor(reservedJobOf(job), neverAborted);
    if (outcome.status === "retry") throw new RetryLaterError(outcome.error, outcome.delayMs);
    if (outcome.status === "failed") throw new UnrecoverableError(outcome.error);
  };
  const settings: WorkerOptions["settings"] = {
    backoffStrategy: (_attemptsMade, _type, error) => (error instanceof RetryLaterError ? error.delayMs : 0),
  };
  if (options.queues.length > 1) {
    return startOrderedBullmqConsumer({ ...params, processor: run, settings });
  }
  const workers = options.queues.map((queueName) => {
    const worker = new Worker(queueName, run, {
      connection: params.connection,
      prefix: params.prefix,
      name: options.workerId,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalls,
      settings,
    });
    // An EventEmitter 'error' with no listener would crash the process on a Redis blip.
    worker.on("error", (error) =>
      logger.error({ queue: queueName, err: error.message }, "BullMQ worker error"),
    );
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
