import { megabytes } from "../harness/process-stats.js";
import { formatCount, median, ratio, type Spread, spread } from "../harness/stats.js";
import type { JobTarget, LatencyResult, MemoryResult, ThroughputResult } from "./jobs.js";

/** One target's throughput rounds, summarised; the ratio is to bare BullMQ's median of the same run. */
export interface ThroughputSummary {
  readonly target: JobTarget;
  readonly jobsPerRound: number;
  readonly jobsPerSecond: Spread;
  /** Median jobs/s over bare BullMQ's median jobs/s (null without the peer). */
  readonly ratioToBare: number | null;
  readonly cpuMicrosPerJob: number | null;
  /** The store server's CPU per job (Redis, MariaDB), median of rounds; null for SQLite. */
  readonly serverCpuMicrosPerJob: number | null;
  readonly enqueuePerSecond: number;
  /** Worker RSS at the end of the last round. */
  readonly rssBytes: number | null;
}

/** What bench/results/queue.json holds. */
export interface QueueReport {
  readonly benchmark: "queue";
  readonly date: string;
  readonly durationSeconds: number;
  readonly machine: { readonly cpus: number; readonly model: string; readonly memoryBytes: number };
  readonly node: string;
  readonly cpuPlan: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly throughputSummary: readonly ThroughputSummary[];
  readonly throughput: Readonly<Partial<Record<JobTarget, readonly ThroughputResult[]>>>;
  readonly memory: readonly (MemoryResult & { target: JobTarget })[];
  readonly latency: readonly (LatencyResult & { target: JobTarget })[];
  /** Where the run departed from its settings (fewer jobs for a slow driver) and why. */
  readonly notes: readonly string[];
}

const medianOrNull = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : median(known);
};

export function summariseThroughput(
  throughput: ReadonlyMap<JobTarget, readonly ThroughputResult[]>,
): ThroughputSummary[] {
  const bare = median((throughput.get("bullmq-bare") ?? []).map((round) => round.jobsPerSecond));
  return [...throughput].map(([target, rounds]) => {
    const jobsPerSecond = spread(rounds.map((round) => round.jobsPerSecond));
    return {
      target,
      jobsPerRound: rounds[0]?.jobs ?? 0,
      jobsPerSecond,
      ratioToBare: throughput.has("bullmq-bare") ? ratio(jobsPerSecond.median, bare) : null,
      cpuMicrosPerJob: medianOrNull(rounds.map((round) => round.cpuMicrosPerJob)),
      serverCpuMicrosPerJob: medianOrNull(rounds.map((round) => round.serverCpuMicrosPerJob)),
      enqueuePerSecond: median(rounds.map((round) => round.enqueuePerSecond)),
      rssBytes: rounds.at(-1)?.rssBytes ?? null,
    };
  });
}

const mb = (bytes: number | null) => `${megabytes(bytes) ?? "?"} MB`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/** Prints the three tables and the notes. */
export function printQueueReport(report: QueueReport): void {
  console.log("\nthroughput: no-op jobs through one worker process (median of rounds, min–max)\n");
  console.log(
    table(
      [
        "target",
        "jobs/round",
        "jobs/s",
        "min–max",
        "× bare",
        "worker µs/job",
        "server µs/job",
        "queued/s",
        "RSS",
      ],
      report.throughputSummary.map((row) => [
        row.target,
        formatCount(row.jobsPerRound),
        formatCount(row.jobsPerSecond.median),
        `${formatCount(row.jobsPerSecond.min)}–${formatCount(row.jobsPerSecond.max)}`,
        row.ratioToBare === null ? "–" : row.ratioToBare.toFixed(2),
        row.cpuMicrosPerJob === null ? "?" : formatCount(row.cpuMicrosPerJob),
        row.serverCpuMicrosPerJob === null ? "–" : formatCount(row.serverCpuMicrosPerJob),
        formatCount(row.enqueuePerSecond),
        mb(row.rssBytes),
      ]),
    ),
  );
  console.log("\nmemory: a fresh worker process taking one long run of jobs as they are queued\n");
  console.log(
    table(
      ["target", "jobs", "RSS idle", "RSS after", "peak RSS", "growth", "seconds"],
      report.memory.map((row) => [
        row.target,
        formatCount(row.jobs),
        mb(row.idleRssBytes),
        mb(row.rssBytes),
        mb(row.peakRssBytes),
        row.rssBytes === null || row.idleRssBytes === null ? "?" : mb(row.rssBytes - row.idleRssBytes),
        row.seconds.toFixed(0),
      ]),
    ),
  );
  console.log("\nlatency: enqueue → completed at a fixed rate, idle worker\n");
  console.log(
    table(
      ["target", "jobs", "rate/s", "p50 ms", "p99 ms", "max ms", "late"],
      report.latency.map((row) => [
        row.target,
        formatCount(row.jobs),
        formatCount(row.ratePerSecond),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        row.maxMs.toFixed(1),
        String(row.lateDispatches),
      ]),
    ),
  );
  for (const note of report.notes) console.log(`note: ${note}`);
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(" ");
  console.log(
    `\n${report.machine.cpus} cpus (${report.machine.model}), node ${report.node}, ${report.cpuPlan}; ` +
      `load average ${load(report.loadAverage.start)} → ${load(report.loadAverage.end)}; ${report.durationSeconds} s`,
  );
}
