import type { JobProcessor, QueueBackend } from "../queue/types.js";
import type { MargMetrics } from "./types.js";

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
      const labels = { queue: job.queue, job: job.name };
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
