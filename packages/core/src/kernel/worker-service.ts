import { MargError } from "../errors/index.js";
import { margMetrics, startMetricsServer } from "../metrics/index.js";
import { createPlatform, type Platform } from "../platform/index.js";
import type { QueueBackend, QueueLogger, WorkerOptions } from "../queue/index.js";
import type { Kernel } from "./kernel.js";
import { openQueue } from "./open-queue.js";
import { startWorker } from "./start-worker.js";
import { collectWorkerJobs } from "./worker-jobs.js";
import { createWorkerLogger } from "./worker-logger.js";

export interface KernelWorkerOptions {
  /** The queue driver to work (default: QUEUE_CONNECTION); sync has nothing to take. */
  readonly connection?: "database" | "redis";
  /** `marg work`'s flags (queues, concurrency, tries, sleep, max-time, timeout, max-jobs). */
  readonly options?: Partial<WorkerOptions>;
  /** Also run the periodic jobs (default true; `--no-scheduler` leaves them to other workers). */
  readonly scheduler?: boolean;
  /** Log lines: JSON (`--json-logs`) or readable, at `level` (default LOG_LEVEL). */
  readonly log?: { readonly json?: boolean; readonly level?: string };
  /** Serve /metrics on WORKER_METRICS_PORT when it is set (default true). */
  readonly metricsListener?: boolean;
  /** Stop on SIGTERM/SIGINT (default true); `marg dev` stops its worker through its own shutdown. */
  readonly handleSignals?: boolean;
  /** Exit the process when jobs outlive their timeout at shutdown (default true). */
  readonly exitWhenStuck?: boolean;
}

export interface KernelWorker {
  readonly logger: QueueLogger;
  /** Resolves with the exit code once the worker has stopped and everything it opened is closed. */
  readonly done: Promise<number>;
  /** Takes no new job, finishes the ones in flight, closes. */
  stop(): Promise<void>;
}

/**
 * The queue worker of the installation, as `marg work` runs it: every app's jobs
 * and core's, bound to one platform (databases, cache, mailer, RBAC), checked
 * against what the apps dispatch before any job is taken, counted in the metrics.
 */
export async function startKernelWorker(
  kernel: Kernel,
  params: KernelWorkerOptions = {},
): Promise<KernelWorker> {
  const config = kernel.config();
  const driver = params.connection ?? config.queue.connection;
  if (driver === "sync") {
    throw new MargError(
      "E_QUEUE_DRIVER_UNSUPPORTED",
      "QUEUE_CONNECTION=sync runs every job when it is dispatched, so there is nothing for a worker to take. " +
        "Set QUEUE_CONNECTION=database (or redis) to run workers.",
    );
  }
  const logger = createWorkerLogger({
    json: params.log?.json === true,
    level: params.log?.level ?? config.log.level,
  });
  // Listening first: a port another worker holds fails the start before any job is taken.
  const { host, port } = config.metrics.worker;
  const metricsServer =
    params.metricsListener === false || port === 0
      ? undefined
      : await startMetricsServer({ metrics: margMetrics(), access: config.metrics, host, port });
  if (metricsServer !== undefined) {
    logger.info(
      { host, port: metricsServer.port },
      `metrics on http://${host}:${metricsServer.port}/metrics`,
    );
  }
  let backend: QueueBackend | undefined;
  let platform: Platform | undefined;
  // Also when the start fails: an open listener would keep the process alive.
  const closeAll = async () => {
    await backend?.close();
    await platform?.close();
    await metricsServer?.close();
  };
  let running: ReturnType<typeof startWorker>;
  try {
    backend = (await openQueue(config, { driver, logger })).backend;
    // Handlers get the services of the installation (databases, cache, mailer, RBAC).
    platform = await createPlatform(config);
    const { jobs, schedules, specs } = await collectWorkerJobs(kernel, platform);
    running = startWorker({
      config,
      backend,
      jobs,
      specs,
      schedules: params.scheduler === false ? [] : schedules,
      options: params.options ?? {},
      logger,
      ...(params.handleSignals === undefined ? {} : { handleSignals: params.handleSignals }),
      ...(params.exitWhenStuck === undefined ? {} : { exitWhenStuck: params.exitWhenStuck }),
    });
  } catch (error) {
    // Refused before taking a job (a job without a handler…): close what was opened so the process exits.
    await closeAll();
    throw error;
  }
  // From here the worker closes its backend itself; the platform and the listener close after it.
  backend = undefined;
  const done = running.done.then(async (code) => {
    await closeAll();
    return code;
  });
  return {
    logger,
    done,
    async stop() {
      await running.worker.stop("requested");
      await done;
    },
  };
}
