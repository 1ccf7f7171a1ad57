import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createQueue, type Queue, type QueueBackend, type WorkerOptions } from "../queue/index.js";
import { EffectsLog } from "../queue/test-support/effects-log.js";
import {
  type PreparedQueueDriver,
  prepareQueueDriver,
  QUEUE_TEST_DRIVERS,
} from "../queue/test-support/queue-test-drivers.js";
import { waitFor } from "../queue/test-support/wait-for.js";
import { createFixtureJobs } from "./test-support/fixture-jobs.js";

const REPO = path.resolve(import.meta.dirname, "../../../..");
const FIXTURE = path.join(import.meta.dirname, "test-support/worker-fixture.ts");

/** Quick polls and beats; locks long enough that a busy machine never fakes a stall. */
const FAST: Partial<WorkerOptions> = {
  sleepSeconds: 0.05,
  lockDurationMs: 5000,
  stalledIntervalMs: 2500,
  heartbeatMs: 300,
  schedulerTickMs: 100,
  timeoutSeconds: 10,
};

/** For the crash tests: a dead worker's job comes back in about a second. */
const SHORT_LOCK: Partial<WorkerOptions> = { lockDurationMs: 1000, stalledIntervalMs: 500 };

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

const jobs = createFixtureJobs();

for (const driver of QUEUE_TEST_DRIVERS) {
  describe(`worker processes on the ${driver} driver`, () => {
    let prepared: PreparedQueueDriver;
    let backend: QueueBackend;
    let queue: Queue;
    let effects: EffectsLog;
    const running = new Set<WorkerProcess>();

    function spawnWorker(
      options: Partial<WorkerOptions> = {},
      env: Record<string, string> = {},
    ): WorkerProcess {
      let stderr = "";
      const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", FIXTURE], {
        cwd: REPO,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          MARG_ROOT: prepared.root,
          FIXTURE_EFFECTS: effects.file,
          FIXTURE_OPTIONS: JSON.stringify({ ...FAST, ...options }),
          ...env,
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        child.on("exit", (code, signal) => resolve({ code, signal }));
      });
      const worker: WorkerProcess = { child, pid: child.pid ?? -1, exit, stderr: () => stderr };
      running.add(worker);
      void exit.then(() => running.delete(worker));
      return worker;
    }

    /** Spawns a worker and waits for its first heartbeat, so it is really taking jobs. */
    async function startWorker(options: Partial<WorkerOptions> = {}, env: Record<string, string> = {}) {
      const worker = spawnWorker(options, env);
      await waitFor(`worker ${worker.pid} to report in (${worker.stderr()})`, async () => {
        const workers = await backend.listWorkers();
        return workers.some((beat) => beat.pid === worker.pid);
      });
      return worker;
    }

    async function stop(worker: WorkerProcess) {
      worker.child.kill("SIGTERM");
      return worker.exit;
    }

    beforeAll(async () => {
      prepared = await prepareQueueDriver(driver, `proc_${driver.replace("database-", "")}`);
      backend = await prepared.openBackend();
      queue = createQueue(backend);
      effects = new EffectsLog(path.join(prepared.root, "effects.sqlite"));
    });

    afterEach(async () => {
      for (const worker of running) worker.child.kill("SIGKILL");
      await Promise.all([...running].map((worker) => worker.exit));
      await queue.flush();
    });

    afterAll(async () => {
      effects?.close();
      await backend?.close();
      await prepared?.cleanup();
    });

    it("on SIGTERM stops taking jobs, finishes the one in flight and exits 0", async () => {
      const worker = await startWorker({ concurrency: 2 });
      const slow = await queue.dispatch(jobs.sleepJob, { ms: 1500 });
      // Due while the slow job still runs: a worker that kept taking jobs would start it.
      const next = await queue.dispatch(jobs.sleepJob, { ms: 0 }, { delayMs: 800 });
      await waitFor("the slow job to start", () => effects.count("started", slow.id) === 1);
      worker.child.kill("SIGTERM");
      expect(await worker.exit).toEqual({ code: 0, signal: null });
      expect(effects.count("completed", slow.id)).toBe(1);
      expect(effects.count("started", next.id)).toBe(0);
      expect(await queue.failed()).toEqual([]);
      // Still queued, never started (BullMQ leaves a due job in `delayed` until a worker promotes it).
      const counts = (await backend.counts()).find((count) => count.queue === "default");
      expect(counts?.active).toBe(0);
      expect((counts?.waiting ?? 0) + (counts?.delayed ?? 0)).toBe(1);
      expect((await backend.listWorkers()).map((beat) => beat.pid)).not.toContain(worker.pid);
    });

    it("exits 0 when --max-time is up", async () => {
      const worker = spawnWorker({ maxTimeSeconds: 1 });
      expect(await worker.exit).toEqual({ code: 0, signal: null });
    });

    it("gives a job whose worker was killed with -9 to another worker, which completes it exactly once", async () => {
      const first = await startWorker(SHORT_LOCK);
      const slow = await queue.dispatch(jobs.sleepJob, { ms: 1200 });
      await waitFor("the job to start on the first worker", () => effects.count("started", slow.id) === 1);
      first.child.kill("SIGKILL");
      expect((await first.exit).signal).toBe("SIGKILL");
      const second = await startWorker(SHORT_LOCK);
      await waitFor(
        "the job to complete on the second worker",
        () => effects.count("completed", slow.id) === 1,
        {
          timeoutMs: 20_000,
        },
      );
      expect(
        effects
          .rows("started")
          .filter((row) => row.jobId === slow.id)
          .map((row) => row.pid),
      ).toEqual([first.pid, second.pid]);
      expect(
        effects
          .rows("completed")
          .filter((row) => row.jobId === slow.id)
          .map((row) => row.pid),
      ).toEqual([second.pid]);
      expect(await queue.failed()).toEqual([]);
      expect(await stop(second)).toEqual({ code: 0, signal: null });
      expect(effects.count("completed", slow.id)).toBe(1);
    });

    it("fails a job that crashed its worker twice with the reason, and completes it when retried", async () => {
      const { id } = await queue.dispatch(jobs.crashJob, { crashes: 2 });
      for (let crash = 1; crash <= 2; crash += 1) {
        const worker = await startWorker(SHORT_LOCK);
        expect((await worker.exit).signal).toBe("SIGKILL");
        expect(effects.count("started", id)).toBe(crash);
      }
      const survivor = await startWorker(SHORT_LOCK);
      const [failed] = await waitFor(
        "the job in failed jobs",
        () => queue.failed().then((list) => list.length === 1 && list),
        { timeoutMs: 20_000 },
      );
      expect(failed).toMatchObject({ id, name: "fixture.crash", stalls: 2 });
      expect(failed?.error).toContain("stalled more than allowable limit");
      expect(effects.count("started", id)).toBe(2);
      await queue.retry(id);
      await waitFor("the retried job to complete", () => effects.count("completed", id) === 1);
      expect(await stop(survivor)).toEqual({ code: 0, signal: null });
    });

    it("drains 1,000 jobs over three workers, each exactly once, and ticks the schedule once per period", async () => {
      const workers = await Promise.all(
        [1, 2, 3].map(() => startWorker({ concurrency: 8 }, { FIXTURE_SCHEDULE_SECONDS: "1" })),
      );
      const ids: string[] = [];
      for (let batch = 0; batch < 20; batch += 1) {
        const dispatched = await Promise.all(
          Array.from({ length: 50 }, (_, index) => queue.dispatch(jobs.quickJob, { n: batch * 50 + index })),
        );
        ids.push(...dispatched.map((job) => job.id));
      }
      await waitFor("1,000 completions", () => effects.tally("completed").size >= 1000, {
        timeoutMs: 60_000,
      });
      await waitFor("three schedule periods", () => effects.tally("tick").size >= 3, { timeoutMs: 10_000 });
      const codes = await Promise.all(workers.map(stop));
      expect(codes).toEqual(workers.map(() => ({ code: 0, signal: null })));

      const completed = effects.tally("completed");
      expect(ids.filter((id) => completed.get(id) !== 1)).toEqual([]);
      expect(new Set(effects.rows("completed").map((row) => row.pid)).size).toBeGreaterThan(1);
      const ticks = effects.tally("tick");
      expect([...ticks.values()].every((count) => count === 1)).toBe(true);
      expect(await queue.failed()).toEqual([]);
    });
  });
}
