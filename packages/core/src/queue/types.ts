/**
 * The queue's contracts. `Queue` (dispatch, failed-job admin, status) and
 * `Worker` (the processing loop) talk only to a {@link QueueBackend}; each
 * driver (redis on BullMQ, database on Kysely, sync in-process) is one file
 * under drivers/ that implements it.
 */

export type QueueDriverName = "database" | "redis" | "sync";

/** How long to wait before retry N (1-based): `fixed` always `delayMs`, `exponential` `delayMs · 2^(N-1)`. */
export interface BackoffSpec {
  readonly type: "fixed" | "exponential";
  readonly delayMs: number;
}

/** A job as `dispatch()` hands it to a backend: validated, JSON-safe, every option resolved. */
export interface NewJob {
  /** Unique and stable across retries: the idempotency key handlers use. */
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  /** JSON-safe payload, already validated against the job's schema. */
  readonly payload: unknown;
  readonly delayMs: number;
  /** 1 (runs first) … 1000 (runs last); default 100. */
  readonly priority: number;
  /** Total tries; null means the worker's `--tries`. */
  readonly maxAttempts: number | null;
  readonly backoff: BackoffSpec;
  /** Longest a run may take; null means the worker's `--timeout`. */
  readonly timeoutMs: number | null;
  readonly dispatchedAt: number;
}

/** A job a worker holds: the stored job plus how often it has run before. */
export interface ReservedJob extends Omit<NewJob, "delayMs"> {
  /** Runs that ended in an error before this one (BullMQ's attemptsMade). */
  readonly attemptsMade: number;
  /** Times a worker died (or lost its lock) while running it; counted apart from attempts. */
  readonly stalls: number;
}

/** What the worker decided about one run; the backend makes it so. */
export type JobOutcome =
  | { readonly status: "completed" }
  | { readonly status: "retry"; readonly error: string; readonly delayMs: number }
  | { readonly status: "failed"; readonly error: string };

/** Runs one reserved job. Never rejects: every failure is an outcome. */
export type JobProcessor = (job: ReservedJob, signal: AbortSignal) => Promise<JobOutcome>;

export interface ConsumeOptions {
  readonly workerId: string;
  /** In order: a free slot takes the next job of the first queue that has one (both drivers). */
  readonly queues: readonly string[];
  /** Jobs run at once, across all the queues. */
  readonly concurrency: number;
  /** Database driver: how long an idle worker sleeps between polls (`--sleep`). */
  readonly pollIntervalMs: number;
  /** How long a reservation/lock lasts unless renewed; a dead worker's job returns after about this long. */
  readonly lockDurationMs: number;
  /** Redis: how often BullMQ looks for stalled jobs. */
  readonly stalledIntervalMs: number;
  /** Stalls a job may survive; one more and it goes to failed jobs (BullMQ's maxStalledCount). */
  readonly maxStalls: number;
}

/** A running consumer. `close()` stops taking jobs and resolves when the jobs in flight are done. */
export interface QueueConsumer {
  close(): Promise<void>;
}

/** A job in the failed-jobs list. */
export interface FailedJob {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly payload: unknown;
  /** Why it failed (the last error, a validation message, or the stall reason). */
  readonly error: string;
  /** Runs that ended in an error, the last one included. */
  readonly attempts: number;
  readonly stalls: number;
  readonly dispatchedAt: number;
  readonly failedAt: number;
}

export interface QueueCounts {
  readonly queue: string;
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly failed: number;
}

/** What a worker process publishes about itself (heartbeat row / Redis key with a TTL). */
export interface WorkerBeat {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  readonly queues: readonly string[];
  readonly state: "running" | "stopping";
  readonly startedAt: number;
  readonly lastSeenAt: number;
  readonly processed: number;
  readonly failed: number;
  readonly completedLastMinute: number;
  readonly failedLastMinute: number;
}

export interface QueueStatusReport {
  readonly driver: QueueDriverName;
  readonly queues: readonly QueueCounts[];
  readonly workers: readonly WorkerBeat[];
  /** Summed over live workers' last-minute counters. */
  readonly throughputLastMinute: { readonly completed: number; readonly failed: number };
}

/**
 * The one contract every queue driver implements. Services (`createQueue`,
 * `createWorker`, the scheduler) never see Redis or SQL.
 */
export interface QueueBackend {
  readonly driver: QueueDriverName;
  /** Stores a job. A job whose id is already stored (waiting, running or failed) is left as it is. */
  enqueue(job: NewJob): Promise<void>;
  /** Starts handing jobs of `options.queues` to `processor`. */
  consume(options: ConsumeOptions, processor: JobProcessor): QueueConsumer;
  /** Newest first. */
  listFailed(options: { readonly queue?: string; readonly limit: number }): Promise<FailedJob[]>;
  /** Puts a failed job back on its queue with fresh attempts; false when no failed job has this id. */
  retryFailed(id: string): Promise<boolean>;
  retryAllFailed(): Promise<number>;
  forgetFailed(id: string): Promise<boolean>;
  flushFailed(): Promise<number>;
  counts(): Promise<QueueCounts[]>;
  /** Publishes a worker's heartbeat; it counts as alive for `ttlMs`. */
  recordWorker(beat: WorkerBeat, ttlMs: number): Promise<void>;
  removeWorker(id: string): Promise<void>;
  listWorkers(): Promise<WorkerBeat[]>;
  /** True for exactly one caller per `key` until `ttlMs` passes (SET NX PX / a unique row). */
  claimOnce(key: string, owner: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Where the worker writes what it does; pino's logger fits. */
export interface QueueLogger {
  debug(data: Record<string, unknown>, message: string): void;
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
  error(data: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (tests, library use). */
export const SILENT_QUEUE_LOGGER: QueueLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
