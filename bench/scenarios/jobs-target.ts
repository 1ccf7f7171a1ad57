// One target of the queue bench, ready to measure: its scratch store and ONE worker
// process, started idle (pinned where the machine allows) and driven over IPC.
import path from "node:path";
import { residentBytes } from "../harness/process-stats.js";
import { type JobStore, type JobTarget, openJobStore } from "./job-stores.js";
import { type JobWorkerProcess, spawnJobWorker } from "./jobs-worker-process.js";

/** How every target's worker runs; the same for all, so only the queue differs. */
export interface JobWorkerOptions {
  /** Prefix to pin the worker process, e.g. planCpus().serverPrefix; [] for none. */
  readonly cpuPrefix: readonly string[];
  /** Jobs in flight at once (`marg work --concurrency`; BullMQ's `concurrency`). */
  readonly concurrency: number;
  /** Database driver's poll interval when idle (`--sleep`); BullMQ blocks on Redis instead. */
  readonly sleepSeconds: number;
  /** The MARG worker's LOG_LEVEL (`marg work` defaults to info). */
  readonly logLevel: string;
  /** Extra node flags for the worker, e.g. ["--cpu-prof", "--cpu-prof-dir", dir]. */
  readonly nodeFlags?: readonly string[];
  /**
   * bullmq-bare only: queue the peer's jobs with priority 100, as MARG queues every job
   * (BullMQ's prioritized set instead of its wait list), to tell what priorities cost Redis
   * from what MARG's worker costs. Default false: the peer is BullMQ as people use it.
   */
  readonly barePriority?: boolean;
}

export const DEFAULT_JOB_WORKER_OPTIONS: Omit<JobWorkerOptions, "cpuPrefix"> = {
  concurrency: 50,
  sleepSeconds: 0.01,
  logLevel: "info",
};

/** A target ready to measure: its scratch store and one idle worker process. */
export interface JobBenchTarget {
  readonly target: JobTarget;
  readonly store: JobStore;
  /** The current worker process (replaced by restartWorker()). */
  readonly worker: JobWorkerProcess;
  /** RSS of the worker process right after start-up, before any job. */
  readonly idleRssBytes: number | null;
  /** Ends the worker process and starts a fresh one on the same store. */
  restartWorker(): Promise<void>;
  /** Ends the worker and drops the scratch store. */
  close(): Promise<void>;
}

/** Prepares `target`'s scratch store and starts ONE worker process for it (idle until measured). */
export async function openJobTarget(target: JobTarget, options: JobWorkerOptions): Promise<JobBenchTarget> {
  const store = await openJobStore(target, { barePriority: options.barePriority === true });
  let generation = 0;
  const spawnWorker = () =>
    spawnJobWorker({
      target,
      entry: store.worker.entry,
      env: {
        ...store.worker.env,
        LOG_LEVEL: options.logLevel,
        BENCH_CONCURRENCY: String(options.concurrency),
        BENCH_SLEEP_SECONDS: String(options.sleepSeconds),
      },
      cpuPrefix: options.cpuPrefix,
      logFile: path.join(store.dir, `worker-${++generation}.log`),
      ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
    });
  let worker: JobWorkerProcess;
  try {
    worker = await spawnWorker();
  } catch (error) {
    await store.close();
    throw error;
  }
  let idleRssBytes = residentBytes(worker.pid);
  return {
    target,
    store,
    get worker() {
      return worker;
    },
    get idleRssBytes() {
      return idleRssBytes;
    },
    async restartWorker() {
      await worker.close();
      worker = await spawnWorker();
      idleRssBytes = residentBytes(worker.pid);
    },
    async close() {
      await worker.close();
      await store.close();
    },
  };
}

/** Fails the run unless every job completed: a failed no-op job means the figure is not throughput. */
export async function assertNoFailures(bench: JobBenchTarget): Promise<void> {
  const failed = await bench.store.failed();
  if (failed > 0) {
    throw new Error(
      `${bench.target}: ${failed} no-op jobs failed; see the worker log ${bench.worker.logFile} (kept until cleanup)`,
    );
  }
}
