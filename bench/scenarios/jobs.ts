// Scenario F of `npm run bench` and the figures of issue 5: no-op jobs through ONE
// worker process, for MARG's worker on each queue driver and for bare BullMQ.
// The public face: jobs-target.ts opens a target (its scratch store and one idle
// worker process, pinned where the machine allows), jobs-drain.ts measures
// throughput and memory, jobs-latency.ts enqueue→completed latency. Every wait is
// bounded and fails with a message naming the target.
export { JOB_TARGETS, type JobStore, type JobTarget } from "./job-stores.js";
export { type MemoryResult, measureMemory, measureThroughput, type ThroughputResult } from "./jobs-drain.js";
export { type LatencyResult, measureLatency } from "./jobs-latency.js";
export {
  DEFAULT_JOB_WORKER_OPTIONS,
  type JobBenchTarget,
  type JobWorkerOptions,
  openJobTarget,
} from "./jobs-target.js";
