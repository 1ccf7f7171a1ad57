/**
 * The queue: typed jobs (`defineJob`), `dispatch()` over one backend contract
 * with three drivers (redis on BullMQ, database on Kysely, sync), the worker
 * loop, and a once-per-period scheduler. See docs/queues.md.
 */
export { backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";
export { type CreateQueueBackendOptions, createQueueBackend } from "./create-queue-backend.js";
export {
  DEFAULT_PRIORITY,
  DEFAULT_QUEUE,
  type DispatchOptions,
  MAX_PRIORITY,
} from "./dispatch-options.js";
// Drivers are loaded by createQueueBackend with import(), so only their option types are re-exported here.
export type { DatabaseQueueBackendOptions } from "./drivers/database-queue-backend.js";
export type { RedisQueueBackendOptions } from "./drivers/redis-queue-backend.js";
export type { SyncQueueBackendOptions } from "./drivers/sync-queue-backend.js";
export { QUEUE_ERRORS } from "./errors.js";
export {
  type AnyJobDefinition,
  type AnyJobSpec,
  assertQueueName,
  defineJob,
  type JobContext,
  type JobDefinition,
  type JobPayload,
  type JobSpec,
} from "./job-definition.js";
export { createJobRegistry, type JobRegistry } from "./job-registry.js";
export { type RunDefaults, runJob, UnrecoverableJobError } from "./job-runner.js";
export { checkJobWiring, type JobWiring } from "./job-wiring.js";
export { applyQueueMigrations, queueMigrations } from "./queue-migrations.js";
export { MARG_QUEUES, type MargQueueName, QUEUE_NAMES } from "./queue-names.js";
export { type CreateQueueOptions, createQueue, type DispatchedJob, type Queue } from "./queue-service.js";
export type { QueueTables } from "./queue-tables.js";
export { createScheduler, defineSchedule, type ScheduledJob } from "./scheduler.js";
export type {
  BackoffSpec,
  ConsumeOptions,
  FailedJob,
  JobOutcome,
  JobProcessor,
  NewJob,
  QueueBackend,
  QueueConsumer,
  QueueCounts,
  QueueDriverName,
  QueueLogger,
  QueueStatusReport,
  ReservedJob,
  WorkerBeat,
} from "./types.js";
export { SILENT_QUEUE_LOGGER } from "./types.js";
export { type CreateWorkerDeps, createWorker, type QueueWorker, type StopReason } from "./worker.js";
export { DEFAULT_WORKER_OPTIONS, type WorkerOptions } from "./worker-options.js";
