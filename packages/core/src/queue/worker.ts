import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { JobRegistry } from "./job-registry.js";
import { runJob } from "./job-runner.js";
import type { Queue } from "./queue-service.js";
import { createScheduler, type ScheduledJob } from "./scheduler.js";
import { ThroughputMeter } from "./throughput-meter.js";
import type {
  JobOutcome,
  QueueBackend,
  QueueConsumer,
  QueueLogger,
  ReservedJob,
  WorkerBeat,
} from "./types.js";
import { DEFAULT_WORKER_OPTIONS, type WorkerOptions } from "./worker-options.js";

export type StopReason = "signal" | "max-time" | "max-jobs" | "requested";

/** A running worker. */
export interface QueueWorker {
  readonly id: string;
  /** Stops taking jobs, lets the ones in flight finish (bounded by the timeout), then resolves. */
  stop(reason?: StopReason): Promise<StopReason>;
  /** Resolves once the worker has stopped, with why. */
  readonly stopped: Promise<StopReason>;
  stats(): { processed: number; completed: number; failed: number; retried: number };
  /** After `stopped`: false when jobs were still running at the shutdown deadline. */
  readonly drained: boolean;
}

export interface CreateWorkerDeps {
  readonly backend: QueueBackend;
  /** Used by the scheduler to dispatch periodic jobs. */
  readonly queue: Queue;
  readonly registry: JobRegistry;
  readonly schedules?: readonly ScheduledJob[];
  readonly options?: Partial<WorkerOptions>;
  readonly logger: QueueLogger;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Starts a worker over any backend: pulls jobs, runs them through the shared
 * job runner, publishes heartbeats for `queue:status`, runs the schedules,
 * and stops cleanly on `stop()`, `--max-time` or `--max-jobs`.
 */
export function createWorker(deps: CreateWorkerDeps): QueueWorker {
  const options: WorkerOptions = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
  const { backend, logger } = deps;
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const startedAt = Date.now();
  const completed = new ThroughputMeter();
  const failed = new ThroughputMeter();
  let retried = 0;
  let state: WorkerBeat["state"] = "running";
  let stopReason: StopReason | undefined;
  let clean = true;
  let resolveStopped: (reason: StopReason) => void = () => {};
  const stopped = new Promise<StopReason>((resolve) => {
    resolveStopped = resolve;
  });

  const beat = (): WorkerBeat => ({
    id,
    host: hostname(),
    pid: process.pid,
    queues: options.queues,
    state,
    startedAt,
    lastSeenAt: Date.now(),
    processed: completed.total + failed.total + retried,
    failed: failed.total,
    completedLastMinute: completed.lastMinute(),
    failedLastMinute: failed.lastMinute(),
  });
  const heartbeat = () =>
    backend
      .recordWorker(beat(), options.heartbeatMs * 3)
      .catch((error: Error) => logger.warn({ err: error.message }, "worker heartbeat not recorded"));

  function note(job: ReservedJob, outcome: JobOutcome, ms: number): void {
    const fields = { jobId: job.id, job: job.name, queue: job.queue, attempt: job.attemptsMade + 1, ms };
    if (outcome.status === "completed") {
      completed.record();
      // Debug, not info: at thousands of jobs a second a line per success is most of the log and a
      // tenth of the worker's CPU; throughput is in the heartbeat (`queue:status`), failures stay loud.
      logger.debug(fields, "job completed");
    } else if (outcome.status === "retry") {
      retried += 1;
      logger.warn({ ...fields, err: outcome.error, retryInMs: outcome.delayMs }, "job failed; will retry");
    } else {
      failed.record();
      logger.error({ ...fields, err: outcome.error }, "job failed; moved to failed jobs");
    }
  }

  /** Jobs in flight and when their timeout ends them (Infinity: no timeout). */
  const deadlines = new Map<string, number>();
  const processor = async (job: ReservedJob, signal: AbortSignal): Promise<JobOutcome> => {
    const started = Date.now();
    const timeoutMs = job.timeoutMs ?? options.timeoutSeconds * 1000;
    deadlines.set(job.id, timeoutMs > 0 ? started + timeoutMs : Number.POSITIVE_INFINITY);
    const outcome = await runJob(job, signal, {
      registry: deps.registry,
      defaults: { tries: options.tries, timeoutMs: options.timeoutSeconds * 1000 },
      logger,
    });
    deadlines.delete(job.id);
    note(job, outcome, Date.now() - started);
    if (options.maxJobs > 0 && completed.total + failed.total + retried >= options.maxJobs) {
      void stop("max-jobs");
    }
    return outcome;
  };

  const consumer: QueueConsumer = backend.consume(
    {
      workerId: id,
      queues: options.queues,
      concurrency: options.concurrency,
      pollIntervalMs: options.sleepSeconds * 1000,
      lockDurationMs: options.lockDurationMs,
      stalledIntervalMs: options.stalledIntervalMs,
      maxStalls: options.maxStalls,
    },
    processor,
  );
  const scheduler = createScheduler({
    queue: deps.queue,
    backend,
    schedules: deps.schedules ?? [],
    owner: id,
    tickMs: options.schedulerTickMs,
    logger,
  });
  void heartbeat();
  const heartbeatTimer = setInterval(() => void heartbeat(), options.heartbeatMs);
  const maxTimeTimer =
    options.maxTimeSeconds > 0
      ? setTimeout(() => void stop("max-time"), options.maxTimeSeconds * 1000)
      : undefined;
  scheduler.start();
  logger.info({ workerId: id, driver: backend.driver, ...options }, "worker started");

  async function stop(reason: StopReason = "requested"): Promise<StopReason> {
    if (stopReason !== undefined) return stopped;
    stopReason = reason;
    state = "stopping";
    clearTimeout(maxTimeTimer);
    logger.info({ workerId: id, reason }, "worker stopping: no new jobs; finishing the ones in flight");
    await scheduler.stop();
    await heartbeat();
    // Each job in flight ends by its timeout at the latest; past the last deadline (plus a
    // grace for recording outcomes) the rest is left to stall recovery rather than hang.
    const lastDeadline = Math.max(Date.now(), ...deadlines.values());
    const closed = consumer.close().then(() => true);
    const finished = Number.isFinite(lastDeadline)
      ? await Promise.race([
          closed,
          sleep(lastDeadline - Date.now() + options.shutdownGraceMs).then(() => false),
        ])
      : await closed;
    clean = finished;
    if (!finished)
      logger.warn({ workerId: id }, "jobs still running at shutdown; another worker will pick them up");
    clearInterval(heartbeatTimer);
    await backend.removeWorker(id).catch(() => undefined);
    logger.info(
      { workerId: id, reason, processed: completed.total + failed.total + retried },
      "worker stopped",
    );
    resolveStopped(reason);
    return reason;
  }

  return {
    id,
    stop,
    stopped,
    get drained() {
      return clean;
    },
    stats: () => ({
      processed: completed.total + failed.total + retried,
      completed: completed.total,
      failed: failed.total,
      retried,
    }),
  };
}
