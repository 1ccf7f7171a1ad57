// Enqueue→completed latency at a fixed rate: one job dispatched every 1/rate s to an
// idle, running worker; each job's time runs from just before dispatch() to the first
// poll (1 ms apart) that finds its outcome stored, on this process's clock — so it
// includes the dispatch, the wait for the worker, the run and recording the outcome.
import { sleep } from "../harness/deadline.js";
import { quantile } from "../harness/stats.js";
import { assertNoFailures, type JobBenchTarget } from "./jobs-target.js";

export interface LatencyResult {
  readonly jobs: number;
  readonly ratePerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Dispatches that started more than one interval late (the bench itself fell behind). */
  readonly lateDispatches: number;
}

/** Resolves with ms from `since` to the first poll that finds the job's outcome stored. */
async function timeToFinish(bench: JobBenchTarget, id: string, since: number): Promise<number> {
  const deadline = since + 10_000;
  for (;;) {
    if (await bench.store.finished(id)) return performance.now() - since;
    if (performance.now() > deadline) {
      throw new Error(
        `${bench.target}: job ${id} not completed 10 s after dispatch; see ${bench.worker.logFile}`,
      );
    }
    await sleep(1);
  }
}

/** Dispatches at a fixed rate to a running, idle worker and reports enqueue→completed times. */
export async function measureLatency(
  bench: JobBenchTarget,
  params: { readonly ratePerSecond: number; readonly seconds: number; readonly warmupJobs?: number },
): Promise<LatencyResult> {
  const interval = 1000 / params.ratePerSecond;
  const run = async (count: number) => {
    const watches: Promise<number>[] = [];
    let late = 0;
    const start = performance.now();
    for (let i = 0; i < count; i += 1) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (wait < -interval) late += 1;
      const since = performance.now();
      const id = await bench.store.dispatchOne();
      watches.push(timeToFinish(bench, id, since));
    }
    return { times: await Promise.all(watches), late };
  };
  await bench.worker.start();
  try {
    // Not recorded: connections, JIT and the worker's first poll settle first.
    await run(params.warmupJobs ?? Math.min(100, params.ratePerSecond));
    const jobs = Math.max(1, Math.round(params.ratePerSecond * params.seconds));
    const { times, late } = await run(jobs);
    return {
      jobs,
      ratePerSecond: params.ratePerSecond,
      p50Ms: quantile(times, 0.5),
      p99Ms: quantile(times, 0.99),
      maxMs: Math.max(...times),
      lateDispatches: late,
    };
  } finally {
    await bench.worker.stop();
    await assertNoFailures(bench);
  }
}
