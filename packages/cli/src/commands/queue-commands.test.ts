import { Writable } from "node:stream";
import type { QueueBackend } from "@marg/core/queue";
import { type PreparedQueueDriver, prepareQueueDriver } from "@marg/core/testing/queue";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliContext } from "../cli-context.js";
import { createOutput } from "../output.js";
import { registerQueueFailed } from "./queue-failed.js";
import { registerQueueFlush } from "./queue-flush.js";
import { registerQueueForget } from "./queue-forget.js";
import { registerQueueRetry } from "./queue-retry.js";
import { registerQueueStatus } from "./queue-status.js";
import { registerWork } from "./work.js";

// The queue commands and `marg work` against a scratch SQLite installation
// (the drivers themselves are covered by the conformance suites).

let prepared: PreparedQueueDriver;
let backend: QueueBackend;

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function margWith(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const ctx = createCliContext({
    root: prepared.root,
    env,
    output: (json) => createOutput({ json, stdout: stdout.stream, stderr: stderr.stream }),
  });
  const program = new Command("marg").exitOverride();
  for (const register of [
    registerWork,
    registerQueueFailed,
    registerQueueRetry,
    registerQueueForget,
    registerQueueFlush,
    registerQueueStatus,
  ]) {
    register(program, ctx);
  }
  let code: number;
  try {
    await program.parseAsync(["node", "marg", ...args]);
    code = ctx.exitCode;
  } catch {
    code = 2;
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const marg = (...args: string[]) => margWith({ LOG_LEVEL: "fatal" }, args);

/** Queues a ping whose payload its schema rejects, so a worker fails it at once. */
async function queueBadPing(id: string): Promise<void> {
  await backend.enqueue({
    id,
    queue: "default",
    name: "marg.ping",
    payload: { note: 5 },
    delayMs: 0,
    priority: 100,
    maxAttempts: null,
    backoff: { type: "fixed", delayMs: 0 },
    timeoutMs: null,
    dispatchedAt: Date.now(),
  });
}

describe("marg work and the queue:* commands", () => {
  beforeAll(async () => {
    prepared = await prepareQueueDriver("database-sqlite", "cli");
    backend = await prepared.openBackend();
  });

  afterAll(async () => {
    await backend?.close();
    await prepared?.cleanup();
  });

  it("work exits 0 after --max-jobs, having failed a bad payload that queue:failed then lists", async () => {
    await queueBadPing("bad-ping-1");
    expect((await marg("work", "--no-scheduler", "--max-jobs", "1", "--sleep", "0.05")).code).toBe(0);
    const listed = await marg("queue:failed");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain("bad-ping-1");
    expect(listed.stdout).toContain('payload of job "marg.ping" is invalid: note:');
    const json = JSON.parse((await marg("queue:failed", "--json")).stdout) as { failed: { id: string }[] };
    expect(json.failed.map((job) => job.id)).toEqual(["bad-ping-1"]);
  });

  it("queue:status shows sizes per queue, workers and throughput", async () => {
    const status = JSON.parse((await marg("queue:status", "--json")).stdout) as {
      driver: string;
      queues: { queue: string; failed: number }[];
      workers: unknown[];
    };
    expect(status.driver).toBe("database");
    expect(status.queues).toEqual([{ queue: "default", waiting: 0, delayed: 0, active: 0, failed: 1 }]);
    expect(status.workers).toEqual([]);
    expect((await marg("queue:status")).stdout).toMatch(/default\s+0\s+0\s+0\s+1/);
  });

  it("queue:retry and queue:forget refuse an unknown id with exit 1 and say how to find ids", async () => {
    for (const command of ["queue:retry", "queue:forget"]) {
      const result = await marg(command, "nope");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No failed job has id "nope"; run `marg queue:failed`');
    }
  });

  it("queue:retry puts a failed job back, queue:forget and queue:flush delete them", async () => {
    expect((await marg("queue:retry", "bad-ping-1")).code).toBe(0);
    expect((await backend.counts())[0]).toMatchObject({ waiting: 1, failed: 0 });
    await queueBadPing("bad-ping-2");
    await queueBadPing("bad-ping-3");
    expect((await marg("work", "--no-scheduler", "--max-jobs", "3", "--sleep", "0.05")).code).toBe(0);
    expect((await backend.listFailed({ limit: 10 })).map((job) => job.id).sort()).toEqual([
      "bad-ping-1",
      "bad-ping-2",
      "bad-ping-3",
    ]);
    expect((await marg("queue:forget", "bad-ping-2")).code).toBe(0);
    expect((await marg("queue:forget", "bad-ping-2")).code).toBe(1);
    expect((await marg("queue:retry", "all", "--json")).stdout).toContain('"retried": 2');
    expect((await marg("work", "--no-scheduler", "--max-jobs", "2", "--sleep", "0.05")).code).toBe(0);
    const flushed = await marg("queue:flush");
    expect(flushed.stdout).toContain("2 failed jobs deleted.");
    expect((await marg("queue:failed")).stdout).toContain("No failed jobs.");
  });

  it("work exits 0 when --max-time is up", async () => {
    expect((await marg("work", "--no-scheduler", "--max-time", "1", "--sleep", "0.1")).code).toBe(0);
  });

  it("work rejects bad flags and a bad connection with exit 2, and the sync driver with exit 1", async () => {
    for (const args of [
      ["--concurrency", "0"],
      ["--tries", "two"],
      ["--sleep", "-1"],
      ["--queue", "bad name"],
      ["beanstalkd"],
    ]) {
      const result = await marg("work", ...args);
      expect(result.code, args.join(" ")).toBe(2);
    }
    const sync = await margWith({ QUEUE_CONNECTION: "sync", LOG_LEVEL: "fatal" }, ["work"]);
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain("QUEUE_CONNECTION=sync runs every job when it is dispatched");
  });

  it("says what to do when the queue tables are missing or Redis is down, with exit 1", async () => {
    const fresh = await margWith({ LOG_LEVEL: "fatal", RBAC_DB_DATABASE: "never-migrated" }, [
      "queue:status",
    ]);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain("run `marg migrate`");
    const down = await margWith({ LOG_LEVEL: "fatal", QUEUE_CONNECTION: "redis", REDIS_PORT: "1" }, [
      "queue:failed",
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("Redis did not answer");
    expect((await marg("queue:failed", "--limit", "0")).code).toBe(2);
  });
});
