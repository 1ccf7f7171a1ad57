/**
 * Issue 9, scenario 4 (phases 3–4 of the seed): three worker processes on the Redis
 * driver, each also running the scheduler (a 1-second periodic job, claimed per
 * period), as three worker servers would. Two of them are killed with -9 while
 * 1,000 jobs drain: every job is still completed, and each period's job ran once.
 * The workers are the kernel's worker process fixture (startWorker on the real
 * Redis backend) because `marg work` has no periodic job shorter than 5 minutes;
 * handlers write to a shared effects log, which the test counts.
 *
 * Delivery is at least once (docs/queues.md, "Exactly once, at least once"): a worker
 * killed after its handler finished but before it recorded the outcome leaves the job
 * to run again. So a handler may complete twice only when its first completion was on
 * a killed worker in the moments before the kill; any other repeat is a completed job
 * run again, which the queue promises never happens.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createQueue, type Queue, type QueueBackend } from "@marg/core/queue";
import { waitFor } from "@marg/core/testing";
import {
  createFixtureJobs,
  EffectsLog,
  type PreparedQueueDriver,
  prepareQueueDriver,
} from "@marg/core/testing/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordHaResult } from "../support/ha/ha-results.js";
import { REPO_ROOT } from "../support/spawn-process.js";

const FIXTURE = path.join(REPO_ROOT, "packages/core/src/kernel/test-support/worker-fixture.ts");
const JOBS = 1_000;
/** A killed worker's jobs come back after the lock (2 s) lapses. */
const LOCK_MS = 2000;
const OPTIONS = {
  concurrency: 4,
  sleepSeconds: 0.05,
  lockDurationMs: LOCK_MS,
  stalledIntervalMs: 1000,
  heartbeatMs: 300,
  schedulerTickMs: 100,
  timeoutSeconds: 10,
};

describe("three workers on the Redis driver, two killed with -9 while 1,000 jobs drain", () => {
  let prepared: PreparedQueueDriver;
  let backend: QueueBackend;
  let queue: Queue;
  let effects: EffectsLog;
  const workers: ChildProcess[] = [];
  const jobs = createFixtureJobs();

  const startWorker = () => {
    const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", FIXTURE], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        MARG_ROOT: prepared.root,
        FIXTURE_EFFECTS: effects.file,
        FIXTURE_OPTIONS: JSON.stringify(OPTIONS),
        FIXTURE_SCHEDULE_SECONDS: "1",
      },
      stdio: ["ignore", "ignore", "ignore"],
    });
    workers.push(child);
    return child;
  };

  beforeAll(async () => {
    prepared = await prepareQueueDriver("redis", "ha_workers");
    backend = await prepared.openBackend();
    queue = createQueue(backend);
    effects = new EffectsLog(path.join(prepared.root, "effects.sqlite"));
  }, 60_000);

  afterAll(async () => {
    for (const child of workers)
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    effects?.close();
    await backend?.close();
    await prepared?.cleanup();
  });

  it("completes every job and runs each period's job once", async () => {
    const [first, second, third] = [startWorker(), startWorker(), startWorker()];
    await waitFor("three workers reporting in", async () => (await backend.listWorkers()).length === 3, {
      timeoutMs: 60_000,
    });
    const ids: string[] = [];
    for (let batch = 0; batch < JOBS / 100; batch += 1) {
      const dispatched = await Promise.all(
        Array.from({ length: 100 }, () => queue.dispatch(jobs.sleepJob, { ms: 25 })),
      );
      ids.push(...dispatched.map((job) => job.id));
    }
    await waitFor("a quarter of the jobs done", () => effects.count("completed") >= JOBS / 4, {
      timeoutMs: 30_000,
    });
    const inFlight = effects.count("started") - effects.count("completed");
    const killedAt = Date.now();
    first?.kill("SIGKILL");
    second?.kill("SIGKILL");
    const killedPids = new Set([first?.pid, second?.pid]);
    await waitFor("every job completed", () => effects.tally("completed").size >= JOBS, {
      timeoutMs: 60_000,
    });
    const drainedMs = Date.now() - killedAt;
    // Two more periods on the survivor alone.
    const periodsBefore = effects.tally("tick").size;
    await waitFor("two more periods", () => effects.tally("tick").size >= periodsBefore + 2, {
      timeoutMs: 10_000,
    });
    third?.kill("SIGTERM");

    const completed = effects.tally("completed");
    const started = effects.tally("started");
    const firstCompletion = new Map<string, { pid: number; at: number }>();
    for (const row of effects.rows("completed"))
      if (!firstCompletion.has(row.jobId)) firstCompletion.set(row.jobId, row);
    const completedTwice = ids.filter((id) => (completed.get(id) ?? 0) > 1);
    // Finished on a worker that died before it could record the outcome (or stalled
    // past its lock just before): the one window where at-least-once delivery runs a
    // handler again.
    const diedBeforeRecording = (id: string) => {
      const first = firstCompletion.get(id);
      return first !== undefined && killedPids.has(first.pid) && first.at >= killedAt - 2 * LOCK_MS;
    };
    const ticks = [...effects.tally("tick").values()];
    const result = {
      jobs: ids.length,
      lost: ids.filter((id) => !completed.has(id)).length,
      completedTwice: completedTwice.length,
      completedAgainAfterRecorded: completedTwice.filter((id) => !diedBeforeRecording(id)).length,
      startedAgainAfterKill: ids.filter((id) => (started.get(id) ?? 0) > 1).length,
      inFlightAtKill: inFlight,
      drainAfterKillMs: drainedMs,
      periods: ticks.length,
      periodsRunMoreThanOnce: ticks.filter((count) => count > 1).length,
    };
    recordHaResult("workers-kill", result);
    expect(result.lost).toBe(0);
    expect(result.completedAgainAfterRecorded).toBe(0);
    // Only jobs in the hands of the two killed workers can be in that window.
    expect(result.completedTwice).toBeLessThanOrEqual(2 * OPTIONS.concurrency);
    expect(result.periods).toBeGreaterThanOrEqual(3);
    expect(result.periodsRunMoreThanOnce).toBe(0);
    expect(await queue.failed()).toEqual([]);
  }, 90_000);
});
