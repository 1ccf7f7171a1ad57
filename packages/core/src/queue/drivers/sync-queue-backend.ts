import type { JobRegistry } from "../job-registry.js";
import { runJob } from "../job-runner.js";
import {
  type FailedJob,
  type NewJob,
  type QueueBackend,
  type QueueConsumer,
  type QueueCounts,
  type QueueLogger,
  SILENT_QUEUE_LOGGER,
  type WorkerBeat,
} from "../types.js";

export interface SyncQueueBackendOptions {
  readonly registry: JobRegistry;
  /** Tries for jobs that set none (a worker's `--tries`). */
  readonly tries?: number;
  readonly timeoutSeconds?: number;
  readonly logger?: QueueLogger;
}

/**
 * Runs each job inside `dispatch()` (QUEUE_CONNECTION=sync): handy in tests
 * and scripts. Retries happen at once (no backoff, no delay); a job that
 * still fails is kept in an in-memory failed list, like the real drivers.
 */
export class SyncQueueBackend implements QueueBackend {
  readonly driver = "sync";
  readonly #failed = new Map<string, { job: NewJob; failed: FailedJob }>();
  readonly #claims = new Map<string, number>();
  readonly #options: Required<SyncQueueBackendOptions>;

  constructor(options: SyncQueueBackendOptions) {
    this.#options = { tries: 3, timeoutSeconds: 60, logger: SILENT_QUEUE_LOGGER, ...options };
  }

  async enqueue(job: NewJob): Promise<void> {
    if (this.#failed.has(job.id)) return;
    const deps = {
      registry: this.#options.registry,
      defaults: { tries: this.#options.tries, timeoutMs: this.#options.timeoutSeconds * 1000 },
      logger: this.#options.logger,
    };
    for (let attemptsMade = 0; ; attemptsMade += 1) {
      const outcome = await runJob({ ...job, attemptsMade, stalls: 0 }, new AbortController().signal, deps);
      if (outcome.status === "completed") return;
      if (outcome.status === "failed") {
        const failed: FailedJob = {
          id: job.id,
          queue: job.queue,
          name: job.name,
          payload: job.payload,
          error: outcome.error,
          attempts: attemptsMade + 1,
          stalls: 0,
          dispatchedAt: job.dispatchedAt,
          failedAt: Date.now(),
        };
        this.#failed.set(job.id, { job, failed });
        return;
      }
    }
  }

  consume(): QueueConsumer {
    // Nothing is ever waiting: jobs ran when they were dispatched.
    return { close: async () => {} };
  }

  async listFailed(options: { queue?: string; limit: number }): Promise<FailedJob[]> {
    return [...this.#failed.values()]
      .map((entry) => entry.failed)
      .filter((job) => options.queue === undefined || job.queue === options.queue)
      .sort((a, b) => b.failedAt - a.failedAt)
      .slice(0, options.limit);
  }

  async retryFailed(id: string): Promise<boolean> {
    const entry = this.#failed.get(id);
    if (entry === undefined) return false;
    this.#failed.delete(id);
    await this.enqueue(entry.job);
    return true;
  }

  async retryAllFailed(): Promise<number> {
    let count = 0;
    for (const id of [...this.#failed.keys()]) if (await this.retryFailed(id)) count += 1;
    return count;
  }

  async forgetFailed(id: string): Promise<boolean> {
    return this.#failed.delete(id);
  }

  async flushFailed(): Promise<number> {
    const count = this.#failed.size;
    this.#failed.clear();
    return count;
  }

  async counts(): Promise<QueueCounts[]> {
    const byQueue = new Map<string, number>();
    for (const { failed } of this.#failed.values())
      byQueue.set(failed.queue, (byQueue.get(failed.queue) ?? 0) + 1);
    return [...byQueue].map(([queue, failed]) => ({ queue, waiting: 0, delayed: 0, active: 0, failed }));
  }

  async recordWorker(_beat: WorkerBeat, _ttlMs: number): Promise<void> {}
  async removeWorker(_id: string): Promise<void> {}
  async listWorkers(): Promise<WorkerBeat[]> {
    return [];
  }

  async claimOnce(key: string, _owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    if ((this.#claims.get(key) ?? 0) > now) return false;
    this.#claims.set(key, now + ttlMs);
    return true;
  }

  async close(): Promise<void> {}
}
