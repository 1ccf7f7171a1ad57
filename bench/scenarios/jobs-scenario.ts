// Scenario F for the main run: one worker process draining no-op jobs, MARG's
// redis driver against bare BullMQ with the same concurrency and handler,
// interleaved rounds and round-by-round ratios; then enqueue→complete latency
// at 100 jobs/s on MARG. The per-driver figures and the memory after 100k jobs
// are bench/queue.bench.ts's (issue 5); this is the slice the main table needs.
import { type Spread, spread } from "../harness/stats.js";
import { measureLatency, measureThroughput } from "./jobs.js";
import { DEFAULT_JOB_WORKER_OPTIONS, type JobBenchTarget, openJobTarget } from "./jobs-target.js";

export interface JobsScenarioResult {
  readonly concurrency: number;
  readonly jobsPerRound: number;
  readonly margJobsPerSecond?: number;
  readonly bullmqJobsPerSecond?: number;
  readonly margOverBullmq: Spread | null;
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
  readonly margWorkerRssMb?: number;
}

export async function runJobsScenario(options: {
  jobs: number;
  rounds: number;
  cpuPrefix: readonly string[];
  log: (line: string) => void;
}): Promise<JobsScenarioResult> {
  const workerOptions = { ...DEFAULT_JOB_WORKER_OPTIONS, cpuPrefix: options.cpuPrefix };
  const opened: JobBenchTarget[] = [];
  try {
    const marg = await openJobTarget("marg-redis", workerOptions);
    opened.push(marg);
    const bare = await openJobTarget("bullmq-bare", workerOptions);
    opened.push(bare);
    for (const bench of opened) await measureThroughput(bench, { jobs: Math.min(options.jobs, 4000) });
    const rates = new Map<JobBenchTarget, number[]>([
      [marg, []],
      [bare, []],
    ]);
    let rss: number | null = null;
    for (let round = 1; round <= options.rounds; round++) {
      for (const bench of round % 2 === 1 ? opened : [...opened].reverse()) {
        const result = await measureThroughput(bench, { jobs: options.jobs });
        rates.get(bench)?.push(result.jobsPerSecond);
        if (bench === marg) rss = Math.max(rss ?? 0, result.rssBytes ?? 0);
        options.log(
          `  round ${round}  F  ${bench.target.padEnd(12)} ${Math.round(result.jobsPerSecond)} jobs/s`,
        );
      }
    }
    const margRates = rates.get(marg) ?? [];
    const bareRates = rates.get(bare) ?? [];
    const latency = await measureLatency(marg, { ratePerSecond: 100, seconds: 10 });
    return {
      concurrency: workerOptions.concurrency,
      jobsPerRound: options.jobs,
      margJobsPerSecond: spread(margRates).median,
      bullmqJobsPerSecond: spread(bareRates).median,
      margOverBullmq: spread(margRates.map((rate, i) => rate / (bareRates[i] ?? Number.NaN))),
      latencyP50Ms: latency.p50Ms,
      latencyP99Ms: latency.p99Ms,
      ...(rss === null ? {} : { margWorkerRssMb: Math.round((rss / 1024 / 1024) * 10) / 10 }),
    };
  } finally {
    await Promise.allSettled(opened.map((bench) => bench.close()));
  }
}
