import type { Counter, Histogram, Registry } from "prom-client";
import type { PoolUsage } from "../db/types.js";

/** Queue sizes as the queue reports them (`QueueBackend.counts()` fits). */
export interface QueueSizes {
  readonly queue: string;
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly failed: number;
}

/** Read at every scrape; a source that throws or hangs is skipped for that scrape. */
export type QueueSizeSource = () => Promise<readonly QueueSizes[]>;

/**
 * Every instrument MARG exposes on /metrics, by name, so capabilities increment
 * them without knowing prom-client's registry. One instance per process
 * ({@link margMetrics}); `marg dev` serves several apps from one process, so
 * HTTP instruments carry an `app` label.
 */
export interface MargMetrics {
  readonly registry: Registry;
  /** `marg_http_requests_total{app,method,route,status}`. `route` is the route pattern, never the raw URL. */
  readonly httpRequests: Counter<"app" | "method" | "route" | "status">;
  /** `marg_http_request_duration_seconds{app,method,route,status}`. */
  readonly httpDuration: Histogram<"app" | "method" | "route" | "status">;
  /** `marg_sessions_created_total{driver}`: new sessions written (sign-in regenerates one). */
  readonly sessionsCreated: Counter<"driver">;
  /** `marg_sessions_destroyed_total{driver}`: sign-out, regeneration, "sign out everywhere". */
  readonly sessionsDestroyed: Counter<"driver">;
  /** `marg_rbac_cache_lookups_total{level,result}`: level `local` (in-process) or `shared` (Redis/table). */
  readonly rbacCacheLookups: Counter<"level" | "result">;
  /** `marg_job_processed_total{queue,job_name}`: every run that ended, whatever its outcome. */
  readonly jobsProcessed: Counter<"queue" | "job_name">;
  /** `marg_job_completed_total{queue,job_name}`: runs that completed. */
  readonly jobsCompleted: Counter<"queue" | "job_name">;
  /** `marg_job_duration_seconds{queue,job_name,outcome}`: outcome completed, retry or failed. */
  readonly jobDuration: Histogram<"queue" | "job_name" | "outcome">;
  /** `marg_job_failures_total{queue,job_name,final}`: final="true" when the job went to failed jobs. */
  readonly jobFailures: Counter<"queue" | "job_name" | "final">;
  /** `marg_redis_command_duration_seconds{command,outcome}` on the general client. */
  readonly redisCommandDuration: Histogram<"command" | "outcome">;
  /** Adds a source for `marg_queue_jobs{queue,state}`; returns a function that removes it. */
  addQueueSizeSource(source: QueueSizeSource): () => void;
  /** Adds a pool for `marg_db_pool_connections{connection,state}` (state in_use / max). */
  addPoolSource(connection: string, read: () => PoolUsage): () => void;
  /** The exposition text and its content type, for a /metrics handler. */
  scrape(): Promise<{ readonly contentType: string; readonly body: string }>;
}
