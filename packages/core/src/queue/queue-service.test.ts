import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isMargError } from "../errors/index.js";
import { backoffDelay } from "./backoff.js";
import { SyncQueueBackend } from "./drivers/sync-queue-backend.js";
import { defineJob } from "./job-definition.js";
import { createJobRegistry } from "./job-registry.js";
import { UnrecoverableJobError } from "./job-runner.js";
import { createQueue } from "./queue-service.js";
import { defineSchedule } from "./scheduler.js";

function marg(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isMargError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a MargError");
}

async function margAsync(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isMargError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a MargError");
}

describe("job definitions and dispatch options", () => {
  const hello = defineJob({ name: "hello", schema: z.object({ to: z.string() }), handler() {} });

  it("refuses queue and job names that cannot be stored or would clash with MARG's own keys", () => {
    expect(marg(() => defineJob({ name: "bad name", schema: z.object({}), handler() {} }))).toMatch(
      /^E_QUEUE_INVALID_OPTIONS: Job name "bad name"/,
    );
    expect(marg(() => defineJob({ name: "x", queue: "_marg", schema: z.object({}), handler() {} }))).toMatch(
      /^E_QUEUE_INVALID_OPTIONS: Queue name "_marg"/,
    );
  });

  it("refuses two jobs with one name in a registry", () => {
    expect(marg(() => createJobRegistry([hello, hello]))).toMatch(
      /^E_QUEUE_DUPLICATE_JOB: Two jobs are named "hello"/,
    );
  });

  it("refuses out-of-range priority, attempts, delay and ids at dispatch", async () => {
    const queue = createQueue(new SyncQueueBackend({ registry: createJobRegistry([hello]) }));
    expect(await margAsync(() => queue.dispatch(hello, { to: "a" }, { priority: 0 }))).toContain(
      "priority must be a whole number from 1 to 1000",
    );
    expect(await margAsync(() => queue.dispatch(hello, { to: "a" }, { attempts: 1.5 }))).toContain(
      "attempts",
    );
    expect(await margAsync(() => queue.dispatch(hello, { to: "a" }, { delayMs: -1 }))).toContain("delayMs");
    expect(await margAsync(() => queue.dispatch(hello, { to: "a" }, { jobId: "123" }))).toContain("jobId");
    expect(await margAsync(() => queue.dispatch(hello, { to: "a" }, { queue: "a:b" }))).toContain(
      'Queue name "a:b"',
    );
  });

  it("computes fixed and exponential backoff, capped at a day", () => {
    expect([1, 2, 3].map((retry) => backoffDelay({ type: "fixed", delayMs: 500 }, retry))).toEqual([
      500, 500, 500,
    ]);
    expect([1, 2, 3].map((retry) => backoffDelay({ type: "exponential", delayMs: 500 }, retry))).toEqual([
      500, 1000, 2000,
    ]);
    expect(backoffDelay({ type: "exponential", delayMs: 1000 }, 40)).toBe(86_400_000);
  });

  it("refuses schedules with a period under a second", () => {
    expect(marg(() => defineSchedule({ job: hello, everySeconds: 0, payload: () => ({ to: "x" }) }))).toMatch(
      /^E_QUEUE_INVALID_OPTIONS: everySeconds/,
    );
  });
});

describe("the sync driver", () => {
  it("runs a job inside dispatch, retrying at once, and keeps a final failure in failed jobs", async () => {
    const runs: number[] = [];
    const flaky = defineJob({
      name: "flaky",
      schema: z.object({ failTimes: z.number() }),
      attempts: 3,
      handler({ failTimes }, ctx) {
        runs.push(ctx.attempt);
        if (ctx.attempt <= failTimes) throw new Error(`run ${ctx.attempt} failed`);
      },
    });
    const doomed = defineJob({
      name: "doomed",
      schema: z.object({}),
      attempts: 5,
      handler() {
        throw new UnrecoverableJobError("the user is gone");
      },
    });
    const backend = new SyncQueueBackend({ registry: createJobRegistry([flaky, doomed]) });
    const queue = createQueue(backend);
    await queue.dispatch(flaky, { failTimes: 2 });
    expect(runs).toEqual([1, 2, 3]);
    expect(await queue.failed()).toEqual([]);
    const { id } = await queue.dispatch(flaky, { failTimes: 9 });
    const [failed] = await queue.failed();
    expect(failed).toMatchObject({ id, attempts: 3, error: "run 3 failed (attempt 3 of 3)" });
    const gone = await queue.dispatch(doomed, {});
    expect((await queue.failed()).find((job) => job.id === gone.id)).toMatchObject({
      attempts: 1,
      error: "UnrecoverableJobError: the user is gone",
    });
    expect(await queue.flush()).toBe(2);
  });
});
