import type { Job, JobsOptions } from "bullmq";
import { DEFAULT_BACKOFF } from "../backoff.js";
import type { BackoffSpec, FailedJob, NewJob, ReservedJob } from "../types.js";
import { BULLMQ_STALLED_REASON, stalledReason } from "./stalled-reason.js";

/** What MARG stores as a BullMQ job's data: the payload plus the options BullMQ has no field for. */
export interface JobEnvelope {
  readonly payload: unknown;
  readonly meta: {
    readonly maxAttempts: number | null;
    readonly backoff: BackoffSpec;
    readonly timeoutMs: number | null;
    readonly dispatchedAt: number;
  };
}

/** BullMQ attempts for jobs that leave tries to the worker: core decides, BullMQ must never stop first. */
const WORKER_DECIDES_ATTEMPTS = 1000;

/** The custom backoff type; the worker's `backoffStrategy` returns the delay core computed. */
export const MARG_BACKOFF = "marg";

/** How long BullMQ keeps completed jobs (failed ones are kept until retried, forgotten or flushed). */
const KEEP_COMPLETED = { age: 3600, count: 1000 };

export function envelopeOf(job: NewJob): JobEnvelope {
  return {
    payload: job.payload,
    meta: {
      maxAttempts: job.maxAttempts,
      backoff: job.backoff,
      timeoutMs: job.timeoutMs,
      dispatchedAt: job.dispatchedAt,
    },
  };
}

export function jobsOptionsOf(job: NewJob): JobsOptions {
  return {
    jobId: job.id,
    delay: job.delayMs,
    priority: job.priority,
    attempts: job.maxAttempts ?? WORKER_DECIDES_ATTEMPTS,
    backoff: { type: MARG_BACKOFF },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: false,
    timestamp: job.dispatchedAt,
  };
}

function isEnvelope(data: unknown): data is JobEnvelope {
  return typeof data === "object" && data !== null && "payload" in data && "meta" in data;
}

/** A BullMQ job as core sees it; a job added by other code (no envelope) keeps its data as the payload. */
export function reservedJobOf(job: Job): ReservedJob {
  const data: unknown = job.data;
  const meta = isEnvelope(data) ? data.meta : undefined;
  return {
    id: String(job.id),
    queue: job.queueName,
    name: job.name,
    payload: isEnvelope(data) ? data.payload : data,
    priority: job.opts.priority ?? 0,
    maxAttempts: meta?.maxAttempts ?? null,
    backoff: meta?.backoff ?? DEFAULT_BACKOFF,
    timeoutMs: meta?.timeoutMs ?? null,
    dispatchedAt: meta?.dispatchedAt ?? job.timestamp,
    attemptsMade: job.attemptsMade,
    stalls: job.stalledCounter,
  };
}

export function failedJobOf(job: Job): FailedJob {
  const reserved = reservedJobOf(job);
  const reason = job.failedReason ?? "";
  return {
    id: reserved.id,
    queue: reserved.queue,
    name: reserved.name,
    payload: reserved.payload,
    error: reason === BULLMQ_STALLED_REASON ? stalledReason(job.stalledCounter) : reason,
    attempts: job.attemptsMade,
    stalls: job.stalledCounter,
    dispatchedAt: reserved.dispatchedAt,
    failedAt: job.finishedOn ?? job.processedOn ?? job.timestamp,
  };
}
