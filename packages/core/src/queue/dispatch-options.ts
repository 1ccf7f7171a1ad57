import { randomUUID } from "node:crypto";
import { MargError } from "../errors/index.js";
import { DEFAULT_BACKOFF } from "./backoff.js";
import { type AnyJobSpec, assertQueueName } from "./job-definition.js";
import type { BackoffSpec, NewJob } from "./types.js";

export const DEFAULT_QUEUE = "default";
export const DEFAULT_PRIORITY = 100;
export const MAX_PRIORITY = 1000;

/** How one dispatch is queued; each option overrides the job definition's default. */
export interface DispatchOptions {
  /** Queue name; default the job's `queue`, else `default`. */
  readonly queue?: string;
  /** Run no sooner than this many milliseconds from now. */
  readonly delayMs?: number;
  /** 1 (runs first) … 1000 (runs last); default 100. */
  readonly priority?: number;
  /** Total tries before the job goes to failed jobs; default the worker's `--tries`. */
  readonly attempts?: number;
  /** Wait between tries: a spec, or a number of milliseconds (fixed). Default exponential from 1 s. */
  readonly backoff?: BackoffSpec | number;
  /** Longest one run may take; default the worker's `--timeout`. */
  readonly timeoutSeconds?: number;
  /**
   * Your own id, to dispatch something at most once while it is queued or failed
   * (`invoice-42-mail`). Default a random UUID.
   */
  readonly jobId?: string;
}

function invalid(message: string): MargError {
  return new MargError("E_QUEUE_INVALID_OPTIONS", message);
}

function wholeNumber(value: number | undefined, label: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${label} must be a whole number from ${min} to ${max}; got ${value}.`);
  }
  return value;
}

function resolveBackoff(value: BackoffSpec | number | undefined, job: AnyJobSpec): BackoffSpec {
  const spec =
    typeof value === "number" ? { type: "fixed" as const, delayMs: value } : (value ?? job.backoff);
  if (spec === undefined) return DEFAULT_BACKOFF;
  if (spec.type !== "fixed" && spec.type !== "exponential") {
    throw invalid(`backoff type must be "fixed" or "exponential"; got "${String(spec.type)}".`);
  }
  wholeNumber(spec.delayMs, "backoff delayMs", 0, 86_400_000);
  return { type: spec.type, delayMs: spec.delayMs };
}

/** Merges dispatch options over the job's defaults and checks every value, so a backend stores only sane jobs. */
export function resolveNewJob(
  job: AnyJobSpec,
  payload: unknown,
  options: DispatchOptions,
  defaultQueue: string,
  now: number,
): NewJob {
  const queue = options.queue ?? job.queue ?? defaultQueue;
  assertQueueName(queue);
  const id = options.jobId ?? randomUUID();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) || /^\d+$/.test(id)) {
    throw invalid(
      `jobId "${id}" is invalid: use letters, digits, ".", "_" and "-" (not only digits, up to 128).`,
    );
  }
  const timeoutSeconds = wholeNumber(
    options.timeoutSeconds ?? job.timeoutSeconds,
    "timeoutSeconds",
    0,
    86_400,
  );
  return {
    id,
    queue,
    name: job.name,
    payload,
    delayMs: wholeNumber(options.delayMs, "delayMs", 0, 365 * 86_400_000) ?? 0,
    priority: wholeNumber(options.priority ?? job.priority, "priority", 1, MAX_PRIORITY) ?? DEFAULT_PRIORITY,
    maxAttempts: wholeNumber(options.attempts ?? job.attempts, "attempts", 1, 1000) ?? null,
    backoff: resolveBackoff(options.backoff, job),
    timeoutMs: timeoutSeconds === undefined ? null : timeoutSeconds * 1000,
    dispatchedAt: now,
  };
}
