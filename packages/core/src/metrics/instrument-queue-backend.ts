import type { JobProcessor, QueueBackend } from "../queue/types.js";
import type { MargMetrics } from "./types.js";

/**
 * Starts the job counters of these jobs at 0. Prometheus' `increase()` needs a
 * sample before the first failure: a series that appears already at 3 counts
 * as no increase, and the first burst of failed jobs would never alert.
 */
export function primeJobMetrics(
  metrics: MargMetrics,
  jobs: readonly { readonly name: string; readonly queue: string }[],
): void {
  for (const job of jobs) {
    const labels = { queue: job.queue, job_name: job.name };
    metrics.jobsProcessed.inc(labels, 0);
    metrics.jobsCompleted.inc(labels, 0);
    metrics.jobFailures.inc({ ...labels, final: "true" }, 0);
    metrics.jobFailures.inc({ ...labels, final: "false" }, 0);
  }
}

/**
 * The same backend, timing every job its consumers run and counting failures
 * by queue and job name. Wrap the worker's backend with it; everything but
 * `consume` passes straight through.
 */
export function instrumentQueueBackend(backend: QueueBackend, metrics: MargMetrics): QueueBackend {
  const consume: QueueBackend["consume"] = (options, processor) => {
    const timed: JobProcessor = async (job, signal) => {
      const started = performance.now();
      const outcome = await processor(job, signal);
      const labels = { queue: job.queue, job_name: job.name };
      metrics.jobsProcessed.inc(labels);
      if (outcome.status === "completed") metrics.jobsCompleted.inc(labels);
      metrics.jobDuration.observe(
        { ...labels, outcome: outcome.status },
        (performance.now() - started) / 1000,
      );
      if (outcome.status !== "completed") {
        metrics.jobFailures.inc({ ...labels, final: String(outcome.status === "failed") });
      }
      return outcome;
    };
    return backend.consume(options, timed);
  };
  // A proxy, not a copy: drivers are classes with private fields, so every other
  // method must run with the real backend as `this`.
  return new Proxy(backend, {
    get(target, property) {
      if (property === "consume") return consume;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
