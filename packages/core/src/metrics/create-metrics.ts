import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PoolUsage } from "../db/types.js";
import type { MargMetrics, QueueSizeSource } from "./types.js";

export interface CreateMetricsOptions {
  /** Node and process metrics (event-loop lag, heap, RSS, CPU, handles). Default true. */
  readonly processMetrics?: boolean;
  /** How long a queue-size source may take at scrape time before it is skipped. Default 1000 ms. */
  readonly sourceTimeoutMs?: number;
}

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];
const REDIS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A fresh set of MARG's instruments on their own registry. Production code uses
 * the per-process {@link margMetrics}; tests make their own so counts start at zero.
 */
export function createMargMetrics(options: CreateMetricsOptions = {}): MargMetrics {
  const registry = new Registry();
  const registers = [registry];
  const sourceTimeoutMs = options.sourceTimeoutMs ?? 1000;
  const queueSources = new Set<QueueSizeSource>();
  const poolSources = new Map<string, () => PoolUsage>();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });

  new Gauge({
    name: "marg_queue_jobs",
    help: "Jobs per queue and state (waiting, delayed, active, failed), read at scrape time.",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      this.reset();
      for (const source of queueSources) {
        try {
          for (const sizes of await withTimeout(source(), sourceTimeoutMs)) {
            // Every source reads the same shared store, so a later reading replaces an earlier one.
            for (const state of ["waiting", "delayed", "active", "failed"] as const)
              this.set({ queue: sizes.queue, state }, sizes[state]);
          }
        } catch {
          // A queue store that is down must not fail the whole scrape; /health reports it.
        }
      }
    },
  });
  new Gauge({
    name: "marg_db_pool_connections",
    help: "SQL pool connections by state: in_use (held by a query or transaction) and max (the pool's limit).",
    labelNames: ["connection", "state"],
    registers,
    collect() {
      this.reset();
      for (const [connection, read] of poolSources) {
        const usage = read();
        this.set({ connection, state: "in_use" }, usage.inUse);
        this.set({ connection, state: "max" }, usage.max);
      }
    },
  });

  return {
    registry,
    httpRequests: new Counter({
      name: "marg_http_requests_total",
      help: "HTTP requests answered, by app, method, route pattern and status.",
      labelNames: ["app", "method", "route", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "marg_http_request_duration_seconds",
      help: "Time from request to response, by app, method, route pattern and status.",
      labelNames: ["app", "method", "route", "status"],
      buckets: HTTP_BUCKETS,
      registers,
    }),
    sessionsCreated: new Counter({
      name: "marg_sessions_created_total",
      help: "Sessions written for the first time (sign-in regenerates the id: one destroyed, one created).",
      labelNames: ["driver"],
      registers,
    }),
    sessionsDestroyed: new Counter({
      name: "marg_sessions_destroyed_total",
      help: "Sessions ended: sign-out, id regeneration, sign out everywhere.",
      labelNames: ["driver"],
      registers,
    }),
    rbacCacheLookups: new Counter({
      name: "marg_rbac_cache_lookups_total",
      help: "Permission-set lookups by cache level (local: in-process, shared: Redis or the cache table) and result.",
      labelNames: ["level", "result"],
      registers,
    }),
    // `job_name`, not `job`: Prometheus sets `job` on every series (the scrape job) and
    // would rename a scraped `job` label to `exported_job`, so `by (job)` would group by scrape job.
    jobsProcessed: new Counter({
      name: "marg_job_processed_total",
      help: "Job runs that ended (completed, retried or failed), by queue and job name.",
      labelNames: ["queue", "job_name"],
      registers,
    }),
    jobsCompleted: new Counter({
      name: "marg_job_completed_total",
      help: "Job runs that completed, by queue and job name.",
      labelNames: ["queue", "job_name"],
      registers,
    }),
    jobDuration: new Histogram({
      name: "marg_job_duration_seconds",
      help: "Job run time by queue, job name and outcome (completed, retry, failed).",
      labelNames: ["queue", "job_name", "outcome"],
      buckets: JOB_BUCKETS,
      registers,
    }),
    jobFailures: new Counter({
      name: "marg_job_failures_total",
      help: 'Job runs that ended in an error; final="true" when the job went to failed jobs.',
      labelNames: ["queue", "job_name", "final"],
      registers,
    }),
    redisCommandDuration: new Histogram({
      name: "marg_redis_command_duration_seconds",
      help: "Round trip of commands on the general Redis client, by command and outcome.",
      labelNames: ["command", "outcome"],
      buckets: REDIS_BUCKETS,
      registers,
    }),
    addQueueSizeSource(source) {
      queueSources.add(source);
      return () => queueSources.delete(source);
    },
    addPoolSource(connection, read) {
      poolSources.set(connection, read);
      return () => poolSources.delete(connection);
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

let shared: MargMetrics | undefined;

/**
 * The process's instruments, created on first use with Node's process metrics.
 * Every app server, the worker and the RBAC cache of one process count here.
 *
 * @example
 * margMetrics().rbacCacheLookups.inc({ level: "local", result: "hit" });
 */
export function margMetrics(): MargMetrics {
  shared ??= createMargMetrics();
  return shared;
}
