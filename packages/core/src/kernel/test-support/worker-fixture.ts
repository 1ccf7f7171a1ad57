/**
 * A worker process for the kernel's worker-process suite and test/ha's
 * workers-across-servers: `node --import tsx worker-fixture.ts`.
 * Reads MARG_ROOT (whose .env.shared points at a scratch queue store),
 * FIXTURE_EFFECTS (the effects log file), FIXTURE_OPTIONS (JSON worker options)
 * and FIXTURE_SCHEDULE_SECONDS (run the tick schedule); writes JSON logs to stderr.
 */
import { loadConfig } from "../../config/index.js";
import { createQueueBackend, type WorkerOptions } from "../../queue/index.js";
import { EffectsLog } from "../../queue/test-support/effects-log.js";
import { startWorker } from "../start-worker.js";
import { createWorkerLogger } from "../worker-logger.js";
import { createFixtureJobs } from "./fixture-jobs.js";

const effects = new EffectsLog(process.env.FIXTURE_EFFECTS ?? "effects.sqlite");
const jobs = createFixtureJobs(effects);
const config = loadConfig({ root: process.env.MARG_ROOT ?? process.cwd() });
const options = JSON.parse(process.env.FIXTURE_OPTIONS ?? "{}") as Partial<WorkerOptions>;
const scheduleSeconds = Number(process.env.FIXTURE_SCHEDULE_SECONDS ?? 0);
const logger = createWorkerLogger({
  json: true,
  level: process.env.FIXTURE_LOG_LEVEL ?? "warn",
  stream: process.stderr,
});

const backend = await createQueueBackend(config, { logger });
const running = startWorker({
  config,
  backend,
  jobs: jobs.all,
  schedules: scheduleSeconds > 0 ? [jobs.tickSchedule(scheduleSeconds)] : [],
  options,
  logger,
});
process.exitCode = await running.done;
effects.close();
