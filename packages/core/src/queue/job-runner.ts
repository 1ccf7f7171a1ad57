import { backoffDelay } from "./backoff.js";
import type { JobContext } from "./job-definition.js";
import type { JobRegistry } from "./job-registry.js";
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

/** The worker's logger with the job's id and name on every line. */
function jobLogger(logger: QueueLogger, job: ReservedJob): QueueLogger {
  const fields = { jobId: job.id, job: job.name };
  return {
    debug: (data, message) => logger.debug({ ...fields, ...data }, message),
    info: (data, message) => logger.info({ ...fields, ...data }, message),
    warn: (data, message) => logger.warn({ ...fields, ...data }, message),
    error: (data, message) => logger.error({ ...fields, ...data }, message),
  };
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
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  signal.addEventListener("abort", forward, { once: true });
  const log = jobLogger(deps.logger, job);
  const ctx: JobContext = {
    jobId: job.id,
    name: job.name,
    queue: job.queue,
    attempt: job.attemptsMade + 1,
    maxAttempts: job.maxAttempts ?? deps.defaults.tries,
    signal: controller.signal,
    log,
  };
  let timer: NodeJS.Timeout | undefined;
  const run = Promise.resolve().then(() => definition.handler(checked.value, ctx));
  const timedOut = new Promise<"timeout">((resolve) => {
    if (timeoutMs > 0) timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([run.then(() => "done" as const), timedOut]);
    if (result === "done") return { status: "completed" };
    const message = `job ran longer than its timeout of ${timeoutMs / 1000}s and was stopped`;
    controller.abort(new Error(message));
    // A handler that ignores ctx.signal keeps running; say so when it finally ends.
    run.then(
      () => log.warn({}, "a timed-out job's handler finished after its timeout; make it honour ctx.signal"),
      () => undefined,
    );
    return afterError(job, message, deps, false);
  } catch (error) {
    return afterError(job, describe(error), deps, error instanceof UnrecoverableJobError);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", forward);
  }
}
