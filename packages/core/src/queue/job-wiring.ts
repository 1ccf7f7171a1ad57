import { MargError } from "../errors/index.js";
import { DEFAULT_QUEUE } from "./dispatch-options.js";
import type { AnyJobDefinition, AnyJobSpec } from "./job-definition.js";
import { MARG_QUEUES } from "./queue-names.js";

export interface JobWiring {
  /** Every queue some job is dispatched to or handled on, sorted. */
  readonly knownQueues: readonly string[];
  /** Queues the worker serves that no job is dispatched to (worth a warning: a typo in --queue?). */
  readonly idleQueues: readonly string[];
}

const queueOf = (job: AnyJobSpec) => job.queue ?? DEFAULT_QUEUE;

function mismatch(name: string, what: string): MargError {
  return new MargError(
    "E_QUEUE_JOB_MISMATCH",
    `Job "${name}" has two definitions that disagree on ${what}: a producer and its handler must share ` +
      "one spec (import it from the module that declares it, and build the handler with `defineJob({ ...spec, handler })`).",
  );
}

function assertSame(name: string, a: AnyJobSpec, b: AnyJobSpec): void {
  // The schema object itself: one spec imported by both sides is the only way to be sure they agree.
  if (a.schema !== b.schema) throw mismatch(name, "the payload schema");
  if (queueOf(a) !== queueOf(b)) throw mismatch(name, `the queue ("${queueOf(a)}" and "${queueOf(b)}")`);
}

/**
 * Checks, before a worker takes its first job, that what is dispatched and what
 * is handled are one contract: each job dispatched to a queue this worker
 * serves has a handler here, and every definition of a name (specs the apps
 * dispatch by, the worker's handlers) has the same schema and queue. Throws
 * E_QUEUE_JOB_UNHANDLED or E_QUEUE_JOB_MISMATCH naming the job and the queue.
 *
 * @example
 * const wiring = checkJobWiring({ specs: dispatched, jobs: handlers, queues: ["mail", "default"] });
 * for (const queue of wiring.idleQueues) log.warn({ queue }, "nothing is dispatched to this queue");
 */
export function checkJobWiring(params: {
  /** Every job spec some process dispatches by (core's, each app's `dispatches`). */
  readonly specs: readonly AnyJobSpec[];
  /** The handlers this worker has. */
  readonly jobs: readonly AnyJobDefinition[];
  /** The queues this worker serves. */
  readonly queues: readonly string[];
}): JobWiring {
  const specs = new Map<string, AnyJobSpec>();
  for (const spec of params.specs) {
    const seen = specs.get(spec.name);
    if (seen !== undefined && seen !== spec) assertSame(spec.name, seen, spec);
    specs.set(spec.name, spec);
  }
  const handlers = new Map<string, AnyJobDefinition>();
  for (const job of params.jobs) {
    handlers.set(job.name, job);
    const spec = specs.get(job.name);
    if (spec !== undefined) assertSame(job.name, spec, job);
  }
  const served = new Set(params.queues);
  for (const spec of specs.values()) {
    if (served.has(queueOf(spec)) && !handlers.has(spec.name)) {
      throw new MargError(
        "E_QUEUE_JOB_UNHANDLED",
        `Job "${spec.name}" is dispatched to queue "${queueOf(spec)}", which this worker serves, and no handler ` +
          "is registered for it: its jobs would fail. Add the app that handles it to MARG_APPS, or leave " +
          `"${queueOf(spec)}" out of --queue.`,
      );
    }
  }
  const dispatchedTo = new Set([...MARG_QUEUES, ...[...specs.values(), ...handlers.values()].map(queueOf)]);
  return {
    knownQueues: [...dispatchedTo].sort(),
    idleQueues: params.queues.filter((queue) => !dispatchedTo.has(queue)),
  };
}
