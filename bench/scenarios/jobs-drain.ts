// Throughput and memory of one worker process draining no-op jobs.
// - throughput: N jobs queued up front while the worker is stopped, then it starts;
//   jobs/s = jobs finished between the first count that sees one finish and the
//   count that sees none left, over that time (the worker's start-up is not timed).
//   Counting polls the store (every 10 ms on Redis, 50 ms on a database), never
//   per-job events, so measuring costs the worker nothing.
// - memory: a fresh worker takes N jobs while the bench queues them (so the run
//   takes as long as the slower of the two, not both), then its RSS is read.
import { sleep, withDeadline } from "../harness/deadline.js";
import { cpuSeconds } from "../harness/process-cpu.js";
import { peakResidentBytes, residentBytes } from "../harness/process-stats.js";
import { assertNoFailures, type JobBenchTarget } from "./jobs-target.js";

export interface ThroughputResult {
  readonly jobs: number;
  /** Jobs finished within the timed window (all but those done before the first count saw one). */
  readonly timedJobs: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
  /** How fast the bench queued them (not the worker's figure). */
  readonly enqueuePerSecond: number;
  /** Worker CPU time per job over the timed window, in microseconds. */
  readonly cpuMicrosPerJob: number | null;
  /** Worker CPU time over wall time in the window (1 = one core busy). */
  readonly cpuUtilisation: number | null;
  /**
   * CPU time of the store's server (redis-server, mariadbd) per job over the window, in
   * microseconds; null for SQLite (in the worker) or a server this machine cannot see.
   * The server is shared, so other work on it counts too: a diagnostic, not a figure to compare.
   */
  readonly serverCpuMicrosPerJob: number | null;
  readonly rssBytes: number | null;
  readonly peakRssBytes: number | null;
}

/** Queues `jobs` no-op jobs, starts the worker, and times how fast it drains them. */
export async function measureThroughput(
  bench: JobBenchTarget,
  params: { readonly jobs: number },
): Promise<ThroughputResult> {
  const { store, worker, target } = bench;
  const left = await store.remaining();
  if (left !== 0) throw new Error(`${target}: ${left} jobs are still queued from an earlier step`);

  const enqueueStarted = performance.now();
  await withDeadline(
    `${target}: queueing ${params.jobs} jobs`,
    60_000 + params.jobs * 5,
    store.enqueue(params.jobs),
  );
  const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;

  await worker.start();
  // Bounded twice: no job may sit unfinished for 30 s in a row, and the whole drain has a ceiling.
  const deadline = Date.now() + 60_000 + params.jobs * 10;
  const serverCpu = () => (store.serverPid === null ? null : cpuSeconds(store.serverPid));
  let first: { at: number; remaining: number; cpu: number | null; serverCpu: number | null } | undefined;
  let lastChange = { at: Date.now(), remaining: params.jobs };
  let remaining = params.jobs;
  while (remaining > 0) {
    await sleep(store.pollMs);
    remaining = await store.remaining();
    const now = performance.now();
    if (first === undefined && remaining < params.jobs) {
      first = { at: now, remaining, cpu: cpuSeconds(worker.pid), serverCpu: serverCpu() };
    }
    if (remaining !== lastChange.remaining) lastChange = { at: Date.now(), remaining };
    if (Date.now() - lastChange.at > 30_000 || Date.now() > deadline) {
      throw new Error(
        `${target}: ${remaining} of ${params.jobs} jobs still unfinished (no progress for ${Math.round((Date.now() - lastChange.at) / 1000)} s); see ${worker.logFile}`,
      );
    }
  }
  const end = performance.now();
  const cpuEnd = cpuSeconds(worker.pid);
  const serverCpuEnd = serverCpu();
  const rssBytes = residentBytes(worker.pid);
  const peakRssBytes = peakResidentBytes(worker.pid);
  await worker.stop();
  await assertNoFailures(bench);
  if (first === undefined || first.remaining === 0 || end - first.at < 200) {
    throw new Error(
      `${target}: ${params.jobs} jobs drained within one count, too fast to time; queue more jobs (--jobs)`,
    );
  }
  const seconds = (end - first.at) / 1000;
  const cpu = cpuEnd === null || first.cpu === null ? null : cpuEnd - first.cpu;
  const server = serverCpuEnd === null || first.serverCpu === null ? null : serverCpuEnd - first.serverCpu;
  return {
    jobs: params.jobs,
    timedJobs: first.remaining,
    seconds,
    jobsPerSecond: first.remaining / seconds,
    enqueuePerSecond: params.jobs / enqueueSeconds,
    cpuMicrosPerJob: cpu === null ? null : (cpu / first.remaining) * 1e6,
    cpuUtilisation: cpu === null ? null : cpu / seconds,
    serverCpuMicrosPerJob: server === null ? null : (server / first.remaining) * 1e6,
    rssBytes,
    peakRssBytes,
  };
}

/** Polls until the store holds none of the jobs; fails when nothing moves for 30 s or past `ceilingMs`. */
async function waitUntilDrained(bench: JobBenchTarget, jobs: number, ceilingMs: number): Promise<void> {
  const deadline = Date.now() + ceilingMs;
  let lastChange = { at: Date.now(), remaining: -1 };
  for (;;) {
    const remaining = await bench.store.remaining();
    if (remaining === 0) return;
    if (remaining !== lastChange.remaining) lastChange = { at: Date.now(), remaining };
    if (Date.now() - lastChange.at > 30_000 || Date.now() > deadline) {
      throw new Error(
        `${bench.target}: ${remaining} of ${jobs} jobs still unfinished (no progress for ${Math.round((Date.now() - lastChange.at) / 1000)} s); see ${bench.worker.logFile}`,
      );
    }
    await sleep(bench.store.pollMs);
  }
}

export interface MemoryResult {
  readonly jobs: number;
  /** RSS of the fresh worker before its first job. */
  readonly idleRssBytes: number | null;
  /** RSS once every job is done. */
  readonly rssBytes: number | null;
  /** Highest RSS the process reached (VmHWM). */
  readonly peakRssBytes: number | null;
  /** Queueing and draining overlapped: how long the whole run took. */
  readonly seconds: number;
}

/**
 * Starts a fresh worker process, lets it take `jobs` no-op jobs while the bench
 * queues them, and reads its memory once all are done.
 */
export async function measureMemory(
  bench: JobBenchTarget,
  params: { readonly jobs: number },
): Promise<MemoryResult> {
  await bench.restartWorker();
  const idleRssBytes = bench.idleRssBytes;
  const started = performance.now();
  await bench.worker.start();
  await withDeadline(
    `${bench.target}: queueing ${params.jobs} jobs`,
    60_000 + params.jobs * 5,
    bench.store.enqueue(params.jobs),
  );
  await waitUntilDrained(bench, params.jobs, 60_000 + params.jobs * 10);
  const seconds = (performance.now() - started) / 1000;
  const rssBytes = residentBytes(bench.worker.pid);
  const peakRssBytes = peakResidentBytes(bench.worker.pid);
  await bench.worker.stop();
  await assertNoFailures(bench);
  return { jobs: params.jobs, idleRssBytes, rssBytes, peakRssBytes, seconds };
}
