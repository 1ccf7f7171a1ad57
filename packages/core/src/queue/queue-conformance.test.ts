import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { isMargError } from "../errors/index.js";
import { defineJob } from "./job-definition.js";
import { createJobRegistry } from "./job-registry.js";
import { createQueue, type Queue } from "./queue-service.js";
import {
  type PreparedQueueDriver,
  prepareQueueDriver,
  QUEUE_TEST_DRIVERS,
} from "./test-support/queue-test-drivers.js";
import { waitFor } from "./test-support/wait-for.js";
import { type QueueBackend, SILENT_QUEUE_LOGGER } from "./types.js";
import { createWorker, type QueueWorker } from "./worker.js";
import type { WorkerOptions } from "./worker-options.js";

/** Quick polls keep the suite to seconds; production uses the defaults. */
const FAST: Partial<WorkerOptions> = {
  sleepSeconds: 0.05,
  lockDurationMs: 5000,
  stalledIntervalMs: 2500,
  heartbeatMs: 300,
  schedulerTickMs: 100,
  timeoutSeconds: 10,
};

async function expectMargError(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isMargError(error) && error.code === code) return error.message;
    throw error;
  }
  throw new Error(`expected ${code}`);
}

for (const driver of QUEUE_TEST_DRIVERS) {
  describe(`queue on the ${driver} driver`, () => {
    let prepared: PreparedQueueDriver;
    let backend: QueueBackend;
    let queue: Queue;
    const workers: QueueWorker[] = [];
    const handled: { job: string; payload: unknown; attempt: number; at: number }[] = [];
    let flakyFailsLeft = 0;

    const greet = defineJob({
      name: "test.greet",
      schema: z.object({ name: z.string().min(1) }),
      handler(payload, ctx) {
        handled.push({ job: `greet:${payload.name}`, payload, attempt: ctx.attempt, at: Date.now() });
      },
    });
    const flaky = defineJob({
      name: "test.flaky",
      schema: z.object({ label: z.string() }),
      attempts: 3,
      backoff: { type: "fixed", delayMs: 150 },
      handler(payload, ctx) {
        handled.push({ job: `flaky:${payload.label}`, payload, attempt: ctx.attempt, at: Date.now() });
        if (flakyFailsLeft > 0) {
          flakyFailsLeft -= 1;
          throw new Error("the mail server said no");
        }
      },
    });
    const sluggish = defineJob({
      name: "test.sluggish",
      schema: z.object({}),
      timeoutSeconds: 1,
      attempts: 2,
      backoff: { type: "fixed", delayMs: 0 },
      async handler(_payload, ctx) {
        handled.push({ job: "sluggish", payload: {}, attempt: ctx.attempt, at: Date.now() });
        // The first run hangs until the worker gives up on it; the retry is quick.
        if (ctx.attempt === 1) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
      },
    });
    const countV1 = defineJob({ name: "test.count", schema: z.object({ n: z.number() }), handler() {} });
    const countV2 = defineJob({
      name: "test.count",
      schema: z.object({ n: z.string() }),
      attempts: 5,
      handler(payload) {
        handled.push({ job: "count", payload, attempt: 1, at: Date.now() });
      },
    });
    const registry = createJobRegistry([greet, flaky, sluggish, countV2]);

    function startWorker(options: Partial<WorkerOptions> = {}): QueueWorker {
      const worker = createWorker({
        backend,
        queue,
        registry,
        logger: SILENT_QUEUE_LOGGER,
        options: { ...FAST, queues: ["default"], ...options },
      });
      workers.push(worker);
      return worker;
    }

    async function stopWorkers(): Promise<void> {
      await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    }

    /** Nothing waiting, delayed or running on `default` (the status test parks a delayed job on `mail`). */
    async function emptyQueues(): Promise<boolean> {
      const counts = (await backend.counts()).find((count) => count.queue === "default");
      return counts === undefined || counts.waiting + counts.delayed + counts.active === 0;
    }

    beforeAll(async () => {
      prepared = await prepareQueueDriver(driver, driver.replace("database-", ""));
      backend = await prepared.openBackend();
      queue = createQueue(backend);
    });

    afterAll(async () => {
      await stopWorkers();
      await backend?.close();
      await prepared?.cleanup();
    });

    it("hands a dispatched job to its handler with the payload it was given", async () => {
      handled.length = 0;
      const { id, queue: queueName } = await queue.dispatch(greet, { name: "Ada" });
      expect(queueName).toBe("default");
      startWorker();
      await waitFor("the greeting", () => handled.length === 1);
      expect(handled[0]).toMatchObject({ job: "greet:Ada", payload: { name: "Ada" }, attempt: 1 });
      await waitFor("an empty queue", emptyQueues);
      expect(await queue.failed()).toEqual([]);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await stopWorkers();
    });

    it("keeps a delayed job in the delayed state until its time comes", async () => {
      handled.length = 0;
      const dispatchedAt = Date.now();
      await queue.dispatch(greet, { name: "Later" }, { delayMs: 700 });
      const counts = await backend.counts();
      expect(counts.find((count) => count.queue === "default")).toMatchObject({ delayed: 1, waiting: 0 });
      startWorker();
      await waitFor("the delayed job", () => handled.length === 1);
      expect(handled[0]?.at).toBeGreaterThanOrEqual(dispatchedAt + 700 - 5);
      await stopWorkers();
    });

    it("runs urgent jobs before background ones, and in order within a priority", async () => {
      handled.length = 0;
      await queue.dispatch(greet, { name: "low-1" }, { priority: 500 });
      await queue.dispatch(greet, { name: "normal-1" });
      await queue.dispatch(greet, { name: "urgent" }, { priority: 1 });
      await queue.dispatch(greet, { name: "normal-2" });
      await queue.dispatch(greet, { name: "low-2" }, { priority: 500 });
      startWorker({ concurrency: 1 });
      await waitFor("five greetings", () => handled.length === 5);
      expect(handled.map((entry) => entry.job)).toEqual([
        "greet:urgent",
        "greet:normal-1",
        "greet:normal-2",
        "greet:low-1",
        "greet:low-2",
      ]);
      await stopWorkers();
    });

    it("retries with backoff, fails after its tries, and succeeds when retried by command", async () => {
      handled.length = 0;
      flakyFailsLeft = 3;
      const { id } = await queue.dispatch(flaky, { label: "x" });
      startWorker();
      const [failed] = await waitFor("the failed job", () =>
        queue.failed().then((jobs) => jobs.length === 1 && jobs),
      );
      expect(failed).toMatchObject({
        id,
        name: "test.flaky",
        queue: "default",
        attempts: 3,
        payload: { label: "x" },
      });
      expect(failed?.error).toContain("the mail server said no");
      expect(failed?.error).toContain("attempt 3 of 3");
      expect(handled.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
      for (let run = 1; run < handled.length; run += 1) {
        expect((handled[run]?.at ?? 0) - (handled[run - 1]?.at ?? 0)).toBeGreaterThanOrEqual(150 - 5);
      }
      await queue.retry(id);
      await waitFor("the retried run", () => handled.length === 4);
      expect(handled[3]?.attempt).toBe(1);
      await waitFor("an empty queue", emptyQueues);
      expect(await queue.failed()).toEqual([]);
      await stopWorkers();
    });

    it("refuses an invalid payload at dispatch and queues nothing", async () => {
      const message = await expectMargError(
        queue.dispatch(greet, { name: "" } as { name: string }),
        "E_QUEUE_PAYLOAD_INVALID",
      );
      expect(message).toContain("name:");
      await expectMargError(
        queue.dispatch(greet, { name: 1n } as unknown as { name: string }),
        "E_QUEUE_PAYLOAD_INVALID",
      );
      expect(await emptyQueues()).toBe(true);
    });

    it("fails a payload that its handler's schema no longer accepts at once, without retrying", async () => {
      handled.length = 0;
      const { id } = await queue.dispatch(countV1, { n: 42 });
      startWorker();
      const [failed] = await waitFor("the failed job", () =>
        queue.failed().then((jobs) => jobs.length === 1 && jobs),
      );
      expect(failed).toMatchObject({ id, attempts: 1 });
      expect(failed?.error).toMatch(/payload of job "test.count" is invalid: n: .*expected string/);
      expect(handled).toEqual([]);
      await queue.forget(id);
      await stopWorkers();
    });

    it("fails a run that passes its timeout and retries it", async () => {
      handled.length = 0;
      await queue.dispatch(sluggish, {});
      startWorker({ timeoutSeconds: 10 });
      await waitFor("the retry after the timeout", () => handled.length === 2, { timeoutMs: 10_000 });
      expect(handled.map((entry) => entry.attempt)).toEqual([1, 2]);
      await waitFor("an empty queue", emptyQueues);
      expect(await queue.failed()).toEqual([]);
      await stopWorkers();
    });

    it("lists, retries all, forgets and flushes failed jobs; unknown ids are errors", async () => {
      handled.length = 0;
      flakyFailsLeft = 100;
      const first = await queue.dispatch(flaky, { label: "a" }, { attempts: 1 });
      const second = await queue.dispatch(flaky, { label: "b" }, { attempts: 1, queue: "mail" });
      startWorker({ queues: ["default", "mail"] });
      await waitFor("two failed jobs", () => queue.failed().then((jobs) => jobs.length === 2));
      expect((await queue.failed({ queue: "mail" })).map((job) => job.id)).toEqual([second.id]);
      const status = await queue.status();
      expect(status.queues.find((counts) => counts.queue === "mail")?.failed).toBe(1);
      await expectMargError(queue.retry("no-such-job"), "E_QUEUE_FAILED_JOB_NOT_FOUND");
      await expectMargError(queue.forget("no-such-job"), "E_QUEUE_FAILED_JOB_NOT_FOUND");
      flakyFailsLeft = 0;
      expect(await queue.retryAll()).toBe(2);
      await waitFor("both retried", () => handled.length === 4);
      await waitFor("an empty queue", emptyQueues);
      expect(await queue.failed()).toEqual([]);
      flakyFailsLeft = 100;
      await queue.dispatch(flaky, { label: "c" }, { attempts: 1 });
      await queue.dispatch(flaky, { label: "d" }, { attempts: 1 });
      const [newest] = await waitFor("two failed jobs", () =>
        queue.failed().then((jobs) => jobs.length === 2 && jobs),
      );
      await queue.forget(newest?.id ?? "");
      expect(await queue.failed()).toHaveLength(1);
      expect(await queue.flush()).toBe(1);
      expect(await queue.failed()).toEqual([]);
      expect(first.id).not.toBe(second.id);
      await stopWorkers();
    });

    it("stores a job dispatched twice with one jobId once", async () => {
      handled.length = 0;
      await queue.dispatch(greet, { name: "once" }, { jobId: "welcome-mail-7" });
      await queue.dispatch(greet, { name: "once" }, { jobId: "welcome-mail-7" });
      const counts = await backend.counts();
      expect(counts.find((count) => count.queue === "default")?.waiting).toBe(1);
      startWorker();
      await waitFor("the job", () => handled.length === 1);
      await waitFor("an empty queue", emptyQueues);
      expect(handled).toHaveLength(1);
      await stopWorkers();
    });

    it("hands each of 200 jobs to exactly one of two workers", async () => {
      handled.length = 0;
      for (let index = 0; index < 200; index += 1) await queue.dispatch(greet, { name: `n${index}` });
      startWorker({ concurrency: 5 });
      startWorker({ concurrency: 5 });
      await waitFor("200 jobs", () => handled.length >= 200, { timeoutMs: 20_000 });
      await waitFor("an empty queue", emptyQueues);
      expect(new Set(handled.map((entry) => entry.job)).size).toBe(200);
      expect(handled).toHaveLength(200);
      await stopWorkers();
    });

    it("reports queue sizes, live workers and last-minute throughput", async () => {
      handled.length = 0;
      const worker = startWorker({ queues: ["default", "mail"] });
      await queue.dispatch(greet, { name: "status" });
      await queue.dispatch(greet, { name: "later" }, { delayMs: 60_000, queue: "mail" });
      await waitFor("the job", () => handled.length === 1);
      const status = await waitFor("a heartbeat with the completed job", () =>
        queue.status().then((report) => report.throughputLastMinute.completed >= 1 && report),
      );
      expect(status.driver).toBe(driver === "redis" ? "redis" : "database");
      expect(status.workers.map((beat) => beat.id)).toContain(worker.id);
      expect(status.queues.find((counts) => counts.queue === "mail")).toMatchObject({
        delayed: 1,
        active: 0,
      });
      await stopWorkers();
      expect((await queue.status()).workers.map((beat) => beat.id)).not.toContain(worker.id);
    });

    it("renews the lock of a job that runs longer than it, so no other worker runs it too", async () => {
      handled.length = 0;
      const slow = defineJob({
        name: "test.slow",
        schema: z.object({}),
        async handler(_payload, ctx) {
          handled.push({ job: "slow", payload: {}, attempt: ctx.attempt, at: Date.now() });
          await new Promise((resolve) => setTimeout(resolve, 2000));
        },
      });
      const slowRegistry = createJobRegistry([slow]);
      for (let index = 0; index < 2; index += 1) {
        workers.push(
          createWorker({
            backend,
            queue,
            registry: slowRegistry,
            logger: SILENT_QUEUE_LOGGER,
            // The job outlasts the lock 2.5 times over: only renewal keeps the second worker off it.
            options: { ...FAST, queues: ["default"], lockDurationMs: 800, stalledIntervalMs: 300 },
          }),
        );
      }
      await queue.dispatch(slow, {});
      await waitFor("the slow job to finish", emptyQueues, { timeoutMs: 10_000 });
      expect(handled).toHaveLength(1);
      expect(await queue.failed()).toEqual([]);
      await stopWorkers();
    });

    it("drains the queues in --queue order", async () => {
      handled.length = 0;
      for (const name of ["low", "low", "low"]) await queue.dispatch(greet, { name }, { queue: "low" });
      for (const name of ["high", "high", "high"]) await queue.dispatch(greet, { name }, { queue: "high" });
      startWorker({ queues: ["high", "low"], concurrency: 1 });
      await waitFor("every greeting", () => handled.length === 6);
      expect(handled.map((entry) => entry.job)).toEqual([
        ...Array(3).fill("greet:high"),
        ...Array(3).fill("greet:low"),
      ]);
      // A job arriving on the first queue while the worker idles is taken at once, by the same worker.
      handled.length = 0;
      await queue.dispatch(greet, { name: "late" }, { queue: "high" });
      await waitFor("the late greeting", () => handled.length === 1);
      await stopWorkers();
    });

    it("grants a scheduler claim to exactly one of many concurrent claimants", async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, index) => backend.claimOnce("conformance:1000", `w${index}`, 5000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await backend.claimOnce("conformance:2000", "w0", 5000)).toBe(true);
    });
  });
}
