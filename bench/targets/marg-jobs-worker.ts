// One MARG worker process for bench/queue.bench.ts: the real `startWorker` (what
// `marg work` runs) over the real driver that QUEUE_CONNECTION names, with the
// worker's own jobs plus the bench's no-op job, the worker logger at LOG_LEVEL
// (`marg work`'s default is info) writing JSON lines to stdout, as `--json-logs`.
// Reads: MARG_ROOT (an installation whose .env.shared points at a scratch store),
// LOG_LEVEL, BENCH_CONCURRENCY, BENCH_SLEEP_SECONDS. Writes: log lines to stdout.
// Driven over IPC (see worker-protocol.ts); not meant to be started by hand.
import { loadConfig } from "@marg/core/config";
import { createWorkerLogger, pingJob, type RunningWorker, startWorker } from "@marg/core/kernel";
import { createQueueBackend } from "@marg/core/queue";
import { benchNoopJob } from "./bench-noop-job.js";
import { serveWorkerCommands } from "./worker-protocol.js";

const config = loadConfig();
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const sleepSeconds = Number(process.env.BENCH_SLEEP_SECONDS ?? 3);
const logger = createWorkerLogger({ json: true, level: config.log.level });
let running: RunningWorker | undefined;

serveWorkerCommands({
  async start() {
    const backend = await createQueueBackend(config, { logger });
    running = startWorker({
      config,
      backend,
      jobs: [pingJob, benchNoopJob],
      options: { concurrency, sleepSeconds },
      logger,
      handleSignals: false,
    });
  },
  async stop() {
    if (running === undefined) return null;
    const { worker, done } = running;
    running = undefined;
    await worker.stop("requested");
    await done;
    return worker.stats().completed;
  },
});
