/**
 * @marg/worker — the queue worker: the job registry, `startWorker` (what
 * `marg work` runs) and `openQueue` (what the `queue:*` commands use).
 */

// Until @marg/core exports its queue module, the CLI reaches these through the worker.
export type { FailedJob, QueueStatusReport, WorkerOptions } from "@marg/core/queue";
export { WORKER_JOBS, WORKER_SCHEDULES } from "./job-registry.js";
export { pingJob } from "./jobs/ping-job.js";
export { openQueue, withQueue } from "./open-queue.js";
export { type RunningWorker, type StartWorkerParams, startWorker } from "./start-worker.js";
export { createWorkerLogger, type WorkerLoggerOptions } from "./worker-logger.js";
