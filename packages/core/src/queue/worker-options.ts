/** How a worker runs; the first seven are `marg work`'s flags (seed: `--sleep=3 --tries=3 --max-time=3600`). */
export interface WorkerOptions {
  /** `--queue a,b`: queues to work, in priority order (database driver). */
  readonly queues: readonly string[];
  /** `--concurrency`: jobs at once (redis: per queue). */
  readonly concurrency: number;
  /** `--tries`: total tries for jobs that do not set `attempts`. */
  readonly tries: number;
  /** `--sleep`: database driver's poll interval when idle, in seconds (fractions allowed). */
  readonly sleepSeconds: number;
  /** `--max-time`: exit cleanly (code 0) after this many seconds so the supervisor starts a fresh process; 0 = never. */
  readonly maxTimeSeconds: number;
  /** `--timeout`: a run longer than this fails (and is retried); 0 = no limit. */
  readonly timeoutSeconds: number;
  /** `--max-jobs`: exit cleanly after this many runs; 0 = no limit. */
  readonly maxJobs: number;
  /** Reservation/lock length; a killed worker's job returns after about this long. Renewed while the job runs. */
  readonly lockDurationMs: number;
  /** Redis: how often BullMQ checks for stalled jobs. */
  readonly stalledIntervalMs: number;
  /** Stalls (worker died mid-job) a job survives before it goes to failed jobs. */
  readonly maxStalls: number;
  readonly heartbeatMs: number;
  readonly schedulerTickMs: number;
  /** Extra wait past `--timeout` at shutdown before leaving jobs to stall recovery. */
  readonly shutdownGraceMs: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = Object.freeze({
  queues: Object.freeze(["default"]),
  concurrency: 1,
  tries: 3,
  sleepSeconds: 3,
  maxTimeSeconds: 0,
  timeoutSeconds: 60,
  maxJobs: 0,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalls: 1,
  heartbeatMs: 10_000,
  schedulerTickMs: 1000,
  shutdownGraceMs: 5000,
});
