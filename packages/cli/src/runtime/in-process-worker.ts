import { createPlatform, type MargConfig, type ShutdownCloser } from "@marg/core";
import { createWorkerLogger, openQueue, startWorker } from "@marg/worker";
import { collectWorkerJobs } from "./worker-jobs.js";

/**
 * The worker `marg dev` runs beside the apps, in the same process: the same code
 * as `marg work`, without its signal handling (the front door's graceful
 * shutdown stops it) and polling every second so a laptop feels immediate.
 */
export async function startInProcessWorker(root: string, config: MargConfig): Promise<ShutdownCloser> {
  const logger = createWorkerLogger({
    json: true,
    level: config.log.level === "info" ? "warn" : config.log.level,
  });
  const platform = await createPlatform(config);
  const { jobs, schedules } = await collectWorkerJobs(root, platform);
  const { backend } = await openQueue(config, { logger });
  const running = startWorker({
    config,
    backend,
    jobs,
    schedules,
    options: { sleepSeconds: 1, concurrency: 2, timeoutSeconds: 120 },
    logger,
    handleSignals: false,
    exitWhenStuck: false,
  });
  return {
    name: "worker",
    async close() {
      await running.worker.stop("requested");
      await running.done;
      await platform.close();
    },
  };
}
