import { isMargError, MargError } from "../errors/index.js";
import { DEFAULT_QUEUE, type DispatchOptions, resolveNewJob } from "./dispatch-options.js";
import type { AnyJobSpec, JobPayload } from "./job-definition.js";
import { checkPayload, toStoredPayload } from "./payload-validation.js";
import type { FailedJob, QueueBackend, QueueStatusReport } from "./types.js";

export interface DispatchedJob {
  readonly id: string;
  readonly queue: string;
}

/** Dispatch jobs and look after failed ones; the same on every driver. */
export interface Queue {
  /** Validates the payload, then stores the job; rejects with E_QUEUE_PAYLOAD_INVALID (nothing queued) on a bad payload. */
  dispatch<J extends AnyJobSpec>(
    job: J,
    payload: JobPayload<J>,
    options?: DispatchOptions,
  ): Promise<DispatchedJob>;
  failed(options?: { queue?: string; limit?: number }): Promise<FailedJob[]>;
  /** Puts one failed job back with fresh attempts; E_QUEUE_FAILED_JOB_NOT_FOUND for an unknown id. */
  retry(id: string): Promise<void>;
  retryAll(): Promise<number>;
  /** Deletes one failed job; E_QUEUE_FAILED_JOB_NOT_FOUND for an unknown id. */
  forget(id: string): Promise<void>;
  flush(): Promise<number>;
  status(): Promise<QueueStatusReport>;
}

export interface CreateQueueOptions {
  /** Queue for jobs that name none. Default `default`. */
  defaultQueue?: string;
  now?: () => number;
}

/** The one place driver failures become a core error (secrets never reach these messages). */
async function guard<T>(backend: QueueBackend, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isMargError(error)) throw error;
    const store = backend.driver === "redis" ? "Redis" : "the rbac database";
    throw new MargError(
      "E_QUEUE_UNAVAILABLE",
      `Could not ${what}: ${store} did not answer (${(error as Error).message}). Check that it is running and reachable.`,
      { status: 503, cause: error },
    );
  }
}

function invalidPayload(reason: string): MargError {
  return new MargError("E_QUEUE_PAYLOAD_INVALID", `Not queued: ${reason}.`, { status: 422 });
}

function notFound(id: string): MargError {
  return new MargError(
    "E_QUEUE_FAILED_JOB_NOT_FOUND",
    `No failed job has id "${id}"; run \`marg queue:failed\` to list them.`,
    { status: 404 },
  );
}

/**
 * The queue as apps and the CLI use it: typed dispatch over any backend.
 *
 * @example
 * const queue = createQueue(backend);
 * await queue.dispatch(sendWelcomeMail, { userId: 7 }, { delayMs: 60_000 });
 */
export function createQueue(backend: QueueBackend, options: CreateQueueOptions = {}): Queue {
  const now = options.now ?? Date.now;
  const defaultQueue = options.defaultQueue ?? DEFAULT_QUEUE;
  return {
    async dispatch(job, payload, dispatchOptions = {}) {
      const stored = toStoredPayload(payload);
      if (!stored.ok) throw invalidPayload(stored.reason);
      const checked = checkPayload(job, stored.value);
      if (!checked.ok) throw invalidPayload(checked.reason);
      const newJob = resolveNewJob(job, stored.value, dispatchOptions, defaultQueue, now());
      await guard(backend, `queue job "${job.name}"`, () => backend.enqueue(newJob));
      return { id: newJob.id, queue: newJob.queue };
    },
    failed: (query = {}) =>
      guard(backend, "list failed jobs", () =>
        backend.listFailed({ limit: query.limit ?? 100, ...(query.queue ? { queue: query.queue } : {}) }),
      ),
    async retry(id) {
      if (!(await guard(backend, "retry the failed job", () => backend.retryFailed(id)))) throw notFound(id);
    },
    retryAll: () => guard(backend, "retry failed jobs", () => backend.retryAllFailed()),
    async forget(id) {
      if (!(await guard(backend, "forget the failed job", () => backend.forgetFailed(id))))
        throw notFound(id);
    },
    flush: () => guard(backend, "flush failed jobs", () => backend.flushFailed()),
    status: () =>
      guard(backend, "read the queue status", async () => {
        const [queues, workers] = await Promise.all([backend.counts(), backend.listWorkers()]);
        const live = workers.filter((worker) => worker.state === "running" || worker.state === "stopping");
        return {
          driver: backend.driver,
          queues,
          workers: live,
          throughputLastMinute: {
            completed: live.reduce((sum, worker) => sum + worker.completedLastMinute, 0),
            failed: live.reduce((sum, worker) => sum + worker.failedLastMinute, 0),
          },
        };
      }),
  };
}
