import { describe, expect, it } from "vitest";
import { JobRunContext } from "./job-run-context.js";
import type { QueueLogger, ReservedJob } from "./types.js";

const job: ReservedJob = {
  id: "job-1",
  queue: "default",
  name: "test.job",
  payload: {},
  priority: 100,
  maxAttempts: null,
  backoff: { type: "fixed", delayMs: 0 },
  timeoutMs: null,
  dispatchedAt: 0,
  attemptsMade: 1,
  stalls: 0,
};

function capture(): {
  logger: QueueLogger;
  lines: { level: string; data: Record<string, unknown>; message: string }[];
} {
  const lines: { level: string; data: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (data: Record<string, unknown>, message: string) => {
    lines.push({ level, data, message });
  };
  return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

describe("a job run's context", () => {
  it("describes the run", () => {
    const ctx = new JobRunContext(job, 3, new AbortController().signal, capture().logger);
    expect(ctx).toMatchObject({
      jobId: "job-1",
      name: "test.job",
      queue: "default",
      attempt: 2,
      maxAttempts: 3,
    });
  });

  it("aborts the handler's signal on timeout, whether it asked for it before or after", () => {
    const early = new JobRunContext(job, 3, new AbortController().signal, capture().logger);
    const signal = early.signal;
    early.abort(new Error("too slow"));
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe("too slow");

    const late = new JobRunContext(job, 3, new AbortController().signal, capture().logger);
    late.abort(new Error("too slow"));
    expect(late.signal.aborted).toBe(true);
    expect((late.signal.reason as Error).message).toBe("too slow");
  });

  it("passes the worker's abort on while the run goes on, and not after it is over", () => {
    const worker = new AbortController();
    const asked = new JobRunContext(job, 3, worker.signal, capture().logger);
    const signal = asked.signal;
    const over = new JobRunContext(job, 3, worker.signal, capture().logger);
    const overSignal = over.signal;
    over.finish();
    worker.abort(new Error("lost the job"));
    expect(signal.aborted).toBe(true);
    expect(overSignal.aborted).toBe(false);

    const askedLater = new JobRunContext(job, 3, worker.signal, capture().logger);
    expect(askedLater.signal.aborted).toBe(true);
  });

  it("logs through the worker's logger with the job's id and name on every line", () => {
    const { logger, lines } = capture();
    const ctx = new JobRunContext(job, 3, new AbortController().signal, logger);
    ctx.log.info({ note: "hi" }, "pong");
    ctx.log.warn({}, "careful");
    expect(lines).toEqual([
      { level: "info", data: { jobId: "job-1", job: "test.job", note: "hi" }, message: "pong" },
      { level: "warn", data: { jobId: "job-1", job: "test.job" }, message: "careful" },
    ]);
  });
});
