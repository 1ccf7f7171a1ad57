import { backoffDelay } from "./backoff.js";
import type { JobRegistry } from "./job-registry.js";
import { JobRunContext } from "./job-run-context.js";
import { checkPayload } from "./payload-validation.js";
import type { JobOutcome, QueueLogger, ReservedJob } from "./types.js";

/**
 * Throw this from a handler when trying again cannot help (the user was
 * deleted, the input is wrong): the job goes to failed jobs at once.
 */
export class UnrecoverableJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnrecoverableJobError";
  }
}

/** What the worker's flags give every job that does not set its own. */
export interface RunDefaults {
  /** `--tries`: total tries for jobs dispatched without `attempts`. */
  readonly tries: number;
  /** `--timeout` in ms; 0 means no limit. */
  readonly timeoutMs: number;
}

export interface RunJobDeps {
  readonly registry: JobRegistry;
  readonly defaults: RunDefaults;
  readonly logger: QueueLogger;
}

function describe(error: unknown): string {
  if (error instanceof Error)
    return error.name === "Error" ? error.message : `${error.name}: ${error.message}`;
  return String(error);
}

function afterError(job: ReservedJob, message: string, deps: RunJobDeps, unrecoverable: boolean): JobOutcome {
  const attempt = job.attemptsMade + 1;
  const maxAttempts = job.maxAttempts ?? deps.defaults.tries;
  if (unrecoverable) return { status: "failed", error: message };
  if (attempt >= maxAttempts) {
    return { status: "failed", error: `${message} (attempt ${attempt} of ${maxAttempts})` };
  }
  return { status: "retry", error: message, delayMs: backoffDelay(job.backoff, attempt) };
}

/**
 * Runs one job the same way on every driver: finds its handler, checks the
 * payload again (a schema may have changed since dispatch), enforces the
 * timeout, and turns the result into an outcome for the backend. Never rejects.
 */
export async function runJob(job: ReservedJob, signal: AbortSignal, deps: RunJobDeps): Promise<JobOutcome> {
  const definition = deps.registry.get(job.name);
  if (definition === undefined) {
    const known = deps.registry.names().join(", ") || "none";
    return {
      status: "failed",
      error: `no handler for job "${job.name}" on this worker (it knows: ${known})`,
    };
  }
  const checked = checkPayload(definition, job.payload);
  if (!checked.ok) return { status: "failed", error: checked.reason };

  const timeoutMs = job.timeoutMs ?? deps.defaults.timeoutMs;
  const ctx = new JobRunContext(job, job.maxAttempts ?? deps.defaults.tries, signal, deps.logger);
  let timer: NodeJS.Timeout | undefined;
  const run = Promise.resolve().then(() => definition.handler(checked.value, ctx));
  const timedOut = new Promise<"timeout">((resolve) => {
    if (timeoutMs > 0) timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([run.then(() => "done" as const), timedOut]);
    if (result === "done") return { status: "completed" };
    const message = `job ran longer than its timeout of ${timeoutMs / 1000}s and was stopped`;
    ctx.abort(new Error(message));
    // A handler that ignores ctx.signal keeps running; say so when it finally ends.
    run.then(
      () =>
        ctx.log.warn({}, "a timed-out job's handler finished after its timeout; make it honour ctx.signal"),
      () => undefined,
    );
    return afterError(job, message, deps, false);
  } catch (error) {
    return afterError(job, describe(error), deps, error instanceof UnrecoverableJobError);
  } finally {
    clearTimeout(timer);
    ctx.finish();
  }
}
