import type { z } from "zod";
import { MargError } from "../errors/index.js";
import type { BackoffSpec, QueueLogger } from "./types.js";

/** What a handler gets besides its payload. */
export interface JobContext {
  /** The job's id: stable across retries, so use it as the idempotency key of any side effect. */
  readonly jobId: string;
  readonly name: string;
  readonly queue: string;
  /** 1 on the first run, 2 on the first retry, … (stalls not counted). */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the run times out or the worker loses the job; stop work and return. */
  readonly signal: AbortSignal;
  readonly log: QueueLogger;
}

/** A job: a name, a payload schema and a handler, plus defaults for how it is queued. */
export interface JobDefinition<Input = unknown, Output = Input> {
  readonly name: string;
  readonly schema: z.ZodType<Output, Input>;
  /** Method syntax on purpose: it lets a registry hold jobs of every payload type. */
  handler(payload: Output, ctx: JobContext): Promise<void> | void;
  readonly queue?: string;
  readonly attempts?: number;
  readonly backoff?: BackoffSpec;
  readonly timeoutSeconds?: number;
  readonly priority?: number;
}

/** Any job definition, whatever its payload types (what registries hold). */
export type AnyJobDefinition = JobDefinition<unknown, unknown>;

/**
 * What dispatching needs of a job: its name, payload schema and queue defaults,
 * not its handler. An app that dispatches a job whose handler needs the worker's
 * services declares the spec once and builds the handler in the worker.
 */
export type JobSpec<Input = unknown, Output = Input> = Omit<JobDefinition<Input, Output>, "handler">;

/** Any job spec, whatever its payload types. */
export type AnyJobSpec = JobSpec<unknown, unknown>;

/** The payload `dispatch()` accepts for a job. */
export type JobPayload<J> = J extends JobSpec<infer Input, unknown> ? Input : never;

const NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,190}$/;
const QUEUE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Throws unless `name` can be a queue name: letters, digits, `-`, `_`; up to 64; no leading `_` (reserved). */
export function assertQueueName(name: string): void {
  if (!QUEUE.test(name)) {
    throw new MargError(
      "E_QUEUE_INVALID_OPTIONS",
      `Queue name "${name}" is invalid: use letters, digits, "-" and "_" (up to 64, not starting with "_").`,
    );
  }
}

/** Throws unless `name` can be a job name: letters, digits, `:`, `.`, `_`, `-`; up to 191. */
export function assertJobName(name: string): void {
  if (!NAME.test(name)) {
    throw new MargError(
      "E_QUEUE_INVALID_OPTIONS",
      `Job name "${name}" is invalid: use letters, digits, ":", ".", "_" and "-" (up to 191).`,
    );
  }
}

/**
 * Declares a job. The schema checks the payload when it is dispatched and
 * again when a worker handles it; a payload that fails goes straight to
 * failed jobs with the reason, never retried.
 *
 * @example
 * export const sendWelcomeMail = defineJob({
 *   name: "mail.welcome",
 *   schema: z.object({ userId: z.number().int() }),
 *   queue: "mail",
 *   attempts: 5,
 *   backoff: { type: "exponential", delayMs: 2000 },
 *   async handler({ userId }, ctx) {
 *     await mailer.send(welcome(userId), { idempotencyKey: ctx.jobId });
 *   },
 * });
 */
export function defineJob<S extends z.ZodType>(definition: {
  name: string;
  schema: S;
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<void> | void;
  queue?: string;
  attempts?: number;
  backoff?: BackoffSpec;
  timeoutSeconds?: number;
  priority?: number;
}): JobDefinition<z.input<S>, z.output<S>> {
  assertJobName(definition.name);
  if (definition.queue !== undefined) assertQueueName(definition.queue);
  return Object.freeze({ ...definition, schema: definition.schema as z.ZodType<z.output<S>, z.input<S>> });
}
