import { MargError } from "../errors/index.js";
import type { AnyJobDefinition } from "./job-definition.js";

/** The jobs a worker can handle, by name. */
export interface JobRegistry {
  get(name: string): AnyJobDefinition | undefined;
  names(): string[];
  /** Queues the registered jobs default to (what `marg work` listens on without --queue). */
  queues(): string[];
}

/**
 * Builds a registry from job definitions; two jobs with one name is an error,
 * since a worker could not tell which handler a stored job means.
 *
 * @example
 * const registry = createJobRegistry([pingJob, sendWelcomeMail]);
 */
export function createJobRegistry(jobs: readonly AnyJobDefinition[], defaultQueue = "default"): JobRegistry {
  const byName = new Map<string, AnyJobDefinition>();
  for (const job of jobs) {
    if (byName.has(job.name)) {
      throw new MargError(
        "E_QUEUE_DUPLICATE_JOB",
        `Two jobs are named "${job.name}"; rename one (job names are how workers find handlers).`,
      );
    }
    byName.set(job.name, job);
  }
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
    queues: () => [...new Set([...byName.values()].map((job) => job.queue ?? defaultQueue))].sort(),
  };
}

/** A registry whose jobs are given after it was handed out (see `createDeferredJobRegistry`). */
export interface DeferredJobRegistry {
  readonly registry: JobRegistry;
  /** Sets the jobs (checked like `createJobRegistry`); until then the registry knows none. */
  resolve(jobs: readonly AnyJobDefinition[]): void;
}

/**
 * A registry to hand out now and fill later: QUEUE_CONNECTION=sync needs one when
 * a platform opens its queue, and the handlers are bound to that very platform.
 *
 * @example
 * const deferred = createDeferredJobRegistry();
 * const backend = await createQueueBackend(config, { registry: deferred.registry });
 * deferred.resolve(platformJobs(platform));
 */
export function createDeferredJobRegistry(defaultQueue = "default"): DeferredJobRegistry {
  let current = createJobRegistry([], defaultQueue);
  return {
    registry: {
      get: (name) => current.get(name),
      names: () => current.names(),
      queues: () => current.queues(),
    },
    resolve(jobs) {
      current = createJobRegistry(jobs, defaultQueue);
    },
  };
}
