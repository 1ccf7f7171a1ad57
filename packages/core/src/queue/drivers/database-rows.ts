import type { Insertable, Selectable } from "kysely";
import type { QueueFailedJobsTable, QueueJobsTable } from "../queue-tables.js";
import type { BackoffSpec, FailedJob, NewJob, ReservedJob } from "../types.js";

export type SqlDialect = "sqlite" | "mysql";
export type JobRow = Selectable<QueueJobsTable>;
export type FailedRow = Selectable<QueueFailedJobsTable>;

/** mysql2 returns SUM() as a string and BIGINT as a number; this reads either. */
export const toNumber = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);

function backoffOf(type: string, delayMs: number): BackoffSpec {
  return { type: type === "fixed" ? "fixed" : "exponential", delayMs: toNumber(delayMs) };
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The job runner's schema check reports it; keep the raw text visible in failed jobs.
    return text;
  }
}

export function newJobRow(job: NewJob): Insertable<QueueJobsTable> {
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    payload: JSON.stringify(job.payload),
    priority: job.priority,
    attempts: 0,
    stalls: 0,
    max_attempts: job.maxAttempts,
    backoff_type: job.backoff.type,
    backoff_ms: job.backoff.delayMs,
    timeout_ms: job.timeoutMs,
    available_at: job.dispatchedAt + job.delayMs,
    reserved_until: null,
    reserved_by: null,
    reservation: null,
    last_error: null,
    dispatched_at: job.dispatchedAt,
  };
}

export function reservedJobOf(row: JobRow): ReservedJob {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    payload: parsePayload(row.payload),
    priority: toNumber(row.priority),
    maxAttempts: row.max_attempts === null ? null : toNumber(row.max_attempts),
    backoff: backoffOf(row.backoff_type, row.backoff_ms),
    timeoutMs: row.timeout_ms === null ? null : toNumber(row.timeout_ms),
    dispatchedAt: toNumber(row.dispatched_at),
    attemptsMade: toNumber(row.attempts),
    stalls: toNumber(row.stalls),
  };
}

export function failedRowOf(row: JobRow, error: string, attempts: number, now: number): FailedRow {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    payload: row.payload,
    error,
    attempts,
    stalls: toNumber(row.stalls),
    priority: toNumber(row.priority),
    max_attempts: row.max_attempts,
    backoff_type: row.backoff_type,
    backoff_ms: toNumber(row.backoff_ms),
    timeout_ms: row.timeout_ms,
    dispatched_at: toNumber(row.dispatched_at),
    failed_at: now,
  };
}

export function failedJobOf(row: FailedRow): FailedJob {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    payload: parsePayload(row.payload),
    error: row.error,
    attempts: toNumber(row.attempts),
    stalls: toNumber(row.stalls),
    dispatchedAt: toNumber(row.dispatched_at),
    failedAt: toNumber(row.failed_at),
  };
}

/** A failed job back on its queue, fresh: no attempts, no stalls, runnable now. */
export function retriedJobRow(row: FailedRow, now: number): Insertable<QueueJobsTable> {
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    payload: row.payload,
    priority: toNumber(row.priority),
    attempts: 0,
    stalls: 0,
    max_attempts: row.max_attempts,
    backoff_type: row.backoff_type,
    backoff_ms: toNumber(row.backoff_ms),
    timeout_ms: row.timeout_ms,
    available_at: now,
    reserved_until: null,
    reserved_by: null,
    reservation: null,
    last_error: row.error,
    dispatched_at: toNumber(row.dispatched_at),
  };
}
