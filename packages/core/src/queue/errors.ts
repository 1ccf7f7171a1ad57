import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/** Error codes of the queue (composed in kernel/core-errors.ts, listed in docs/errors.md). */
export const QUEUE_ERRORS = {
  E_QUEUE_PAYLOAD_INVALID: {
    status: 422,
    meaning:
      "A job was dispatched with a payload its schema rejects (or that is not JSON); nothing was queued.",
  },
  E_QUEUE_INVALID_OPTIONS: {
    status: 500,
    meaning: "A job definition or dispatch option is invalid (queue or job name, priority, delay, attempts).",
  },
  E_QUEUE_DUPLICATE_JOB: {
    status: 500,
    meaning: "Two job definitions in one registry share a name; job names must be unique.",
  },
  E_QUEUE_FAILED_JOB_NOT_FOUND: {
    status: 404,
    meaning: "No failed job has this id; `marg queue:failed` lists them.",
  },
  E_QUEUE_UNAVAILABLE: {
    status: 503,
    meaning: "The queue's store (Redis or the rbac database) could not be reached; the job was not queued.",
  },
  E_QUEUE_NOT_MIGRATED: {
    status: 503,
    meaning: "The database queue's tables are missing; run `marg migrate`.",
  },
  E_QUEUE_DRIVER_UNSUPPORTED: {
    status: 500,
    meaning: "The configured queue driver cannot do this (e.g. `marg work` with QUEUE_CONNECTION=sync).",
  },
  E_QUEUE_JOB_UNHANDLED: {
    status: 500,
    meaning:
      "`marg work` serves a queue that a job is dispatched to, and has no handler for that job: it refuses to start.",
  },
  E_QUEUE_JOB_MISMATCH: {
    status: 500,
    meaning:
      "Two definitions of one job name disagree on the payload schema or queue (a producer and a handler not sharing one spec).",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
