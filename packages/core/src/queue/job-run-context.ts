import type { JobContext } from "./job-definition.js";
import type { QueueLogger, ReservedJob } from "./types.js";

/** The worker's logger with the job's id and name on every line. */
class JobLogger implements QueueLogger {
  constructor(
    private readonly logger: QueueLogger,
    private readonly fields: { readonly jobId: string; readonly job: string },
  ) {}
  debug(data: Record<string, unknown>, message: string): void {
    this.logger.debug({ ...this.fields, ...data }, message);
  }
  info(data: Record<string, unknown>, message: string): void {
    this.logger.info({ ...this.fields, ...data }, message);
  }
  warn(data: Record<string, unknown>, message: string): void {
    this.logger.warn({ ...this.fields, ...data }, message);
  }
  error(data: Record<string, unknown>, message: string): void {
    this.logger.error({ ...this.fields, ...data }, message);
  }
}

/**
 * What one run's handler gets as `ctx`. The abort signal and the logger are
 * made the first time the handler asks for them: most handlers never do, and
 * at thousands of jobs a second an AbortController, its listener on the
 * worker's signal and a logger per job were a measurable share of the worker's
 * CPU (bench/queue.bench.ts). Asked for at any time, `signal` is aborted
 * exactly when it would have been had it been made up front: on the run's
 * timeout, or when the worker's signal aborts while the run is going on.
 */
export class JobRunContext implements JobContext {
  readonly jobId: string;
  readonly name: string;
  readonly queue: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly #outer: AbortSignal;
  readonly #logger: QueueLogger;
  #controller: AbortController | undefined;
  #forward: (() => void) | undefined;
  #abortedWith: { readonly reason: unknown } | undefined;
  #finished = false;
  #log: QueueLogger | undefined;

  constructor(job: ReservedJob, maxAttempts: number, outer: AbortSignal, logger: QueueLogger) {
    this.jobId = job.id;
    this.name = job.name;
    this.queue = job.queue;
    this.attempt = job.attemptsMade + 1;
    this.maxAttempts = maxAttempts;
    this.#outer = outer;
    this.#logger = logger;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#abortedWith !== undefined) controller.abort(this.#abortedWith.reason);
      else if (!this.#finished) {
        const outer = this.#outer;
        if (outer.aborted) controller.abort(outer.reason);
        else {
          this.#forward = () => controller.abort(outer.reason);
          outer.addEventListener("abort", this.#forward, { once: true });
        }
      }
    }
    return this.#controller.signal;
  }

  get log(): QueueLogger {
    this.#log ??= new JobLogger(this.#logger, { jobId: this.jobId, job: this.name });
    return this.#log;
  }

  /** Aborts the handler's signal (the run timed out), now or as soon as the handler asks for it. */
  abort(reason: unknown): void {
    if (this.#abortedWith !== undefined) return;
    this.#abortedWith = { reason };
    this.#controller?.abort(reason);
  }

  /** The run is over: the worker's signal no longer reaches this handler. */
  finish(): void {
    this.#finished = true;
    if (this.#forward !== undefined) this.#outer.removeEventListener("abort", this.#forward);
    this.#forward = undefined;
  }
}
