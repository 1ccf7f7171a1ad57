/**
 * The kernel: one installation's app definitions (MARG_APPS) and the services
 * started from them — `web(app)`, `worker()`, `migrate()` / `seed()`, and `marg dev`'s
 * front door — like Outline's server/services. The services' code loads when started.
 */
export { loadAppDefinition, selectApps } from "./app-definitions.js";
export type { FrontDoor, FrontDoorOptions } from "./front-door.js";
export { createKernel, type Kernel, type KernelOptions } from "./kernel.js";
export type { KernelMigrator, MigrateOptions, SeedOptions } from "./migrate-service.js";
export { openQueue, withQueue } from "./open-queue.js";
export { pingJob } from "./ping-job.js";
export { type RunningWorker, type StartWorkerParams, startWorker } from "./start-worker.js";
export type { ServedApp, ServeOptions, WebApp, WebOptions } from "./web-service.js";
export { createWorkerLogger, type WorkerLoggerOptions } from "./worker-logger.js";
export type { KernelWorker, KernelWorkerOptions } from "./worker-service.js";
