/**
 * The kernel, MARG's composition root: one installation's app definitions (MARG_APPS)
 * and the services started from them — `web(app)`, `worker()`, `migrate()` / `seed()`,
 * and `marg dev`'s front door — like Outline's server/services; the services' code
 * loads when started. Core's lists of errors, migrations and seeders are gathered
 * here, where no capability can see them; apps' lists join them here too.
 */
export { loadAppDefinition, selectApps } from "./app-definitions.js";
export { createAppServer } from "./app-server.js";
export type { AppServerOptions } from "./app-server-options.js";
export { CORE_ERRORS, type CoreErrorCode } from "./core-errors.js";
export { coreMigrations } from "./core-migrations.js";
export { coreSeeders } from "./core-seeders.js";
export { createKernel } from "./kernel.js";
export { openQueue, withQueue } from "./open-queue.js";
export { pingJob } from "./ping-job.js";
export { createSessionsEndedHandler } from "./sessions-ended-handler.js";
export { type RunningWorker, type StartWorkerParams, startWorker } from "./start-worker.js";
export type {
  FrontDoor,
  FrontDoorOptions,
  Kernel,
  KernelMigrator,
  KernelOptions,
  KernelWorker,
  KernelWorkerOptions,
  MigrateOptions,
  SeedOptions,
  ServedApp,
  ServeOptions,
  WebApp,
  WebOptions,
} from "./types.js";
export { collectWorkerJobs, type WorkerJobs } from "./worker-jobs.js";
export { createWorkerLogger, type WorkerLoggerOptions } from "./worker-logger.js";
