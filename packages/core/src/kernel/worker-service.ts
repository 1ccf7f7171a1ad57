import { MargError } from "../errors/index.js";
import { margMetrics, startMetricsServer } from "../metrics/index.js";
import { createPlatform, type Platform } from "../platform/index.js";
import type { QueueBackend } from "../queue/index.js";
import { openQueue } from "./open-queue.js";
import { startWorker } from "./start-worker.js";
import type { Kernel, KernelWorker, KernelWorkerOptions } from "./types.js";
import { collectWorkerJobs } from "./worker-jobs.js";
import { createWorkerLogger } from "./worker-logger.js";

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
