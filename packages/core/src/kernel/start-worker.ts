import type { MargConfig } from "../config/index.js";
import { instrumentQueueBackend, type MargMetrics, margMetrics, primeJobMetrics } from "../metrics/index.js";
import {
  type AnyJobDefinition,
  type AnyJobSpec,
  checkJobWiring,
  createJobRegistry,
  createQueue,
  createWorker,
  type Queue,
  type QueueBackend,
  type QueueLogger,
  type QueueWorker,
  type ScheduledJob,
  type WorkerOptions,
} from "../queue/index.js";
import { createWorkerLogger } from "./worker-logger.js";

export interface StartWorkerParams {
  readonly config: MargConfig;
  /** The backend to work (closed when the worker stops). */
  readonly backend: QueueBackend;
  readonly jobs: readonly AnyJobDefinition[];
  /**
   * The specs every app dispatches by. When given, the worker refuses to start
   * (E_QUEUE_JOB_UNHANDLED / E_QUEUE_JOB_MISMATCH) unless each job dispatched to a
   * queue it serves has a handler that agrees with its spec, and warns about a
   * served queue nothing is dispatched to.
   */
  readonly specs?: readonly AnyJobSpec[];
  readonly schedules?: readonly ScheduledJob[];
  /** Flags; `queues` defaults to `default` plus every queue the jobs name. */
  readonly options?: Partial<WorkerOptions>;
  readonly logger?: QueueLogger;
  /** Stop on SIGTERM/SIGINT (default true); a second signal exits at once. */
  readonly handleSignals?: boolean;
  /** Exit the process when jobs outlive their timeout at shutdown (default true: never hang the supervisor). */
  readonly exitWhenStuck?: boolean;
  /**
   * Where job runs and queue sizes are counted (default: the process's `margMetrics()`,
   * what `marg work` serves on WORKER_METRICS_PORT); `false` counts nothing.
   */
  readonly metrics?: MargMetrics | false;
}

export interface RunningWorker {
  readonly worker: QueueWorker;
  readonly queue: Queue;
  /** Resolves with the process exit code once the worker has stopped and the backend is closed. */
  readonly done: Promise<number>;
}

/**
 * Runs the MARG worker in this process, as `marg work` does: SIGTERM stops
 * taking jobs, lets the ones in flight finish (up to `--timeout`), and
 * resolves `done` with 0 — as do `--max-time` and `--max-jobs`, so the
 * supervisor simply starts a fresh process.
 *
 * @example
 * const running = startWorker({ config, backend, jobs: [pingJob], options: { tries: 3 } });
 * process.exitCode = await running.done;
 */
export function startWorker(params: StartWorkerParams): RunningWorker {
  const logger = params.logger ?? createWorkerLogger({ json: false, level: params.config.log.level });
  const registry = createJobRegistry(params.jobs);
  const queue = createQueue(params.backend);
  const queues = params.options?.queues ?? [...new Set(["default", ...registry.queues()])];
  if (params.specs !== undefined) {
    const wiring = checkJobWiring({ specs: params.specs, jobs: params.jobs, queues });
    for (const queue of wiring.idleQueues) {
      logger.warn(
        { queue, knownQueues: wiring.knownQueues },
        `no job is dispatched to queue "${queue}": this worker will wait on it forever (known queues: ${wiring.knownQueues.join(", ")})`,
      );
    }
  }
  const metrics = params.metrics === false ? undefined : (params.metrics ?? margMetrics());
  if (metrics !== undefined) {
    primeJobMetrics(
      metrics,
      params.jobs.map((job) => ({ name: job.name, queue: job.queue ?? "default" })),
    );
  }
  const stopQueueSizes = metrics?.addQueueSizeSource(() => params.backend.counts());
  const worker = createWorker({
    backend: metrics === undefined ? params.backend : instrumentQueueBackend(params.backend, metrics),
    queue,
    registry,
    schedules: params.schedules ?? [],
    options: { ...params.options, queues },
    logger,
  });

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) {
      logger.info({ signal }, "signal received: finishing the jobs in flight, then exiting");
      // A closing backend answers slowly or not at all; scrapes must stay quick until the process exits.
      stopQueueSizes?.();
      void worker.stop("signal");
      return;
    }
    // A second signal means "now": jobs in flight come back through stall recovery.
    logger.warn({ signal }, "second signal: exiting without waiting for jobs in flight");
    process.exit(1);
  };
  if (params.handleSignals !== false) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }

  const done = worker.stopped.then(async () => {
    stopQueueSizes?.();
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    const closing = params.backend.close().then(
      () => true,
      (error: Error) => {
        logger.warn({ err: error.message }, "queue backend did not close cleanly");
        return true;
      },
    );
    const closed = worker.drained
      ? await closing
      : await Promise.race([
          closing,
          new Promise<false>((resolve) => setTimeout(resolve, 2000, false).unref()),
        ]);
    if (!closed && params.exitWhenStuck !== false) {
      // A handler that ignores its timeout holds the backend open; a worker that never exits
      // looks alive to the supervisor, so leave: its job comes back through stall recovery.
      logger.error({}, "jobs still running after their timeout; exiting anyway");
      process.exit(0);
    }
    return 0;
  });
  return { worker, queue, done };
}
