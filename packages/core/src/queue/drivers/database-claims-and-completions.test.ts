import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { QueueTables } from "../queue-tables.js";
import { type PreparedQueueDriver, prepareQueueDriver } from "../test-support/queue-test-drivers.js";
import type { NewJob } from "../types.js";
import { CompletionRecorder } from "./database-completions.js";
import { reserveJobs } from "./database-reservation.js";
import { newJobRow, type SqlDialect } from "./database-rows.js";
import { createQueueKysely } from "./queue-kysely-factory.js";

function job(queue: string, priority: number, n: number): NewJob {
  return {
    id: `${queue}-${n}-${randomUUID()}`,
    queue,
    name: "test.job",
    payload: { n },
    delayMs: 0,
    priority,
    maxAttempts: null,
    backoff: { type: "fixed", delayMs: 0 },
    timeoutMs: null,
    dispatchedAt: Date.now() - 1000,
  };
}

for (const driver of ["database-sqlite", "database-mysql"] as const) {
  describe(`claims and completions on the ${driver} driver`, () => {
    let prepared: PreparedQueueDriver;
    let db: Kysely<QueueTables>;
    let dialect: SqlDialect;
    const reserve = (queues: string[], limit: number) =>
      reserveJobs(db, dialect, { queues, limit, workerId: "w1", lockDurationMs: 30_000, now: Date.now() });
    const add = async (...jobs: NewJob[]) => {
      for (const each of jobs) await db.insertInto("queue_jobs").values(newJobRow(each)).execute();
      return jobs;
    };

    beforeAll(async () => {
      prepared = await prepareQueueDriver(driver, `claims_${driver.replace("database-", "")}`);
      ({ db, dialect } = createQueueKysely(prepared.config.db.connections.rbac));
    });
    beforeEach(async () => {
      await db.deleteFrom("queue_jobs").execute();
    });
    afterAll(async () => {
      await db?.destroy();
      await prepared?.cleanup();
    });

    it("claims every runnable job of the first queue before any of the next, by priority then age", async () => {
      const [low1, low2] = await add(job("low", 1, 1), job("low", 1, 2), job("low", 1, 3));
      const [highLate, highUrgent] = await add(job("high", 50, 1), job("high", 5, 2));
      const { rows } = await reserve(["high", "low"], 4);
      expect(rows.map((row) => row.id)).toEqual([highUrgent?.id, highLate?.id, low1?.id, low2?.id]);
      expect((await reserve(["high", "low"], 4)).rows).toHaveLength(1);
    });

    it("records completions together and tells each job whether its reservation still held", async () => {
      await add(job("default", 100, 1), job("default", 100, 2), job("default", 100, 3));
      const { rows, token } = await reserve(["default"], 3);
      const [first, stolen, third] = rows;
      // Another worker took this one over (its reservation lapsed while it ran here).
      await db
        .updateTable("queue_jobs")
        .set({ reservation: "someone-else" })
        .where("id", "=", stolen?.id ?? "")
        .execute();
      const recorder = new CompletionRecorder(db);
      const kept = await Promise.all(rows.map((row) => recorder.record(row.id, token)));
      expect(kept).toEqual([true, false, true]);
      const left = await db.selectFrom("queue_jobs").select("id").execute();
      expect(left.map((row) => row.id)).toEqual([stolen?.id]);
      expect([first?.id, third?.id]).not.toContain(stolen?.id);
    });

    it("records a group of twenty completions whose reservations all held", async () => {
      await add(...Array.from({ length: 20 }, (_, n) => job("default", 100, n)));
      const { rows, token } = await reserve(["default"], 20);
      const recorder = new CompletionRecorder(db);
      expect(await Promise.all(rows.map((row) => recorder.record(row.id, token)))).toEqual(
        rows.map(() => true),
      );
      expect(await db.selectFrom("queue_jobs").select("id").execute()).toEqual([]);
    });
  });
}
