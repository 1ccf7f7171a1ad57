import type { MargConfig } from "@marg/core/config";
import { createPlatform } from "@marg/core/platform";
import type { ShutdownCloser } from "@marg/core/web";
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
  const { jobs, schedules, specs } = await collectWorkerJobs(root, platform);
  const { backend } = await openQueue(config, { logger });
  let running: ReturnType<typeof startWorker>;
  try {
    running = startWorker({
      config,
      backend,
      jobs,
      specs,
      schedules,
      options: { sleepSeconds: 1, concurrency: 2, timeoutSeconds: 120 },
      logger,
      handleSignals: false,
      exitWhenStuck: false,
    });
  } catch (error) {
    // The same refusal as `marg work` (a job with no handler…), with nothing left open.
    await backend.close();
    await platform.close();
    throw error;
  }
  return {
    name: "worker",
    async close() {
      await running.worker.stop("requested");
      await running.done;
      await platform.close();
    },
  };
}
