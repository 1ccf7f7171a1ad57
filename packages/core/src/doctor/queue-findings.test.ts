import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createQueueBackend } from "../queue/create-queue-backend.js";
import { defineJob } from "../queue/job-definition.js";
import { createJobRegistry } from "../queue/job-registry.js";
import { queueMigrations } from "../queue/queue-migrations.js";
import { createQueue } from "../queue/queue-service.js";
import { waitFor } from "../queue/test-support/wait-for.js";
import { type NewJob, type QueueBackend, SILENT_QUEUE_LOGGER } from "../queue/types.js";
import { createWorker } from "../queue/worker.js";
import { createScratchRedisPrefix, TEST_REDIS } from "../testing/index.js";
import { checkQueue } from "./queue-findings.js";
import { type DoctorFixture, doctorFixture } from "./test-support/doctor-fixture.js";

// The seed's "Queue Jobs Stuck": jobs really queued (dated in the past, as a
// stuck queue leaves them), workers really absent or really running, a job
// that really failed.

const fixtures: DoctorFixture[] = [];
const backends: QueueBackend[] = [];
const scratch = createScratchRedisPrefix("doctor_queue");
afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.close();
  for (const fixture of fixtures.splice(0)) await fixture.close();
});
afterAll(() => scratch.clear());

const MINUTE = 60_000;
const job = (id: string, waitedMs: number): NewJob => ({
  id,
  queue: "default",
  name: "doctor.probe",
  payload: {},
  delayMs: 0,
  priority: 100,
  maxAttempts: 1,
  backoff: { type: "fixed", delayMs: 1000 },
  timeoutMs: null,
  dispatchedAt: Date.now() - waitedMs,
});

let made = 0;
async function queueFixture(driver: "database" | "redis") {
  made += 1;
  const doctor = await doctorFixture(
    driver === "database"
      ? { shared: { QUEUE_CONNECTION: "database" }, migrations: [queueMigrations] }
      : {
          shared: {
            QUEUE_CONNECTION: "redis",
            REDIS_HOST: TEST_REDIS.host,
            REDIS_PORT: String(TEST_REDIS.port),
            REDIS_PREFIX: `${scratch.prefix}${made}_`,
          },
        },
  );
  fixtures.push(doctor);
  const backend = await createQueueBackend(doctor.installation);
  backends.push(backend);
  return { doctor, backend };
}

for (const driver of ["database", "redis"] as const) {
  describe(`doctor: queue jobs stuck (${driver} queue)`, () => {
    it("warns that no worker is alive on an empty queue, with nothing waiting and nothing failed", async () => {
      const { doctor } = await queueFixture(driver);
      await doctor.run(checkQueue);
      expect(doctor.finding("queue.workers").level).toBe("warn");
      expect(doctor.finding("queue.oldest-waiting")).toMatchObject({
        level: "ok",
        message: "no job is waiting",
      });
      expect(doctor.finding("queue.failed").level).toBe("ok");
    });

    it("fails when jobs wait with no worker, and grades the oldest one's wait: 10 min warns, 40 min fails", async () => {
      const { doctor, backend } = await queueFixture(driver);
      await backend.enqueue(job("ten-minutes", 10 * MINUTE));
      await doctor.run(checkQueue);
      expect(doctor.finding("queue.workers")).toMatchObject({
        level: "fail",
        message: expect.stringContaining("1 job(s) waiting"),
      });
      expect(doctor.finding("queue.oldest-waiting")).toMatchObject({
        level: "warn",
        message: expect.stringContaining("10 min"),
      });
      await backend.enqueue(job("forty-minutes", 40 * MINUTE));
      await doctor.run(checkQueue);
      expect(doctor.finding("queue.oldest-waiting")).toMatchObject({
        level: "fail",
        message: expect.stringContaining("40 min"),
      });
    });

    it("sees a live worker, and the job it failed", async () => {
      const { doctor, backend } = await queueFixture(driver);
      const broken = defineJob({
        name: "doctor.broken",
        schema: z.object({}),
        attempts: 1,
        handler: () => {
          throw new Error("always fails");
        },
      });
      const queue = createQueue(backend);
      await queue.dispatch(broken, {});
      const worker = createWorker({
        backend,
        queue,
        registry: createJobRegistry([broken]),
        options: { sleepSeconds: 0.02, heartbeatMs: 1000 },
        logger: SILENT_QUEUE_LOGGER,
      });
      try {
        await waitFor("the job to fail", () => worker.stats().failed === 1);
        await doctor.run(checkQueue);
        expect(doctor.finding("queue.workers")).toMatchObject({ level: "ok", message: "1 worker(s) alive" });
        expect(doctor.finding("queue.failed")).toMatchObject({ level: "warn", message: "1 failed job(s)" });
        expect(doctor.finding("queue.failed").fix).toContain("marg queue:retry");
      } finally {
        await worker.stop();
      }
    });

    it("fails for a queue with waiting jobs that no live worker serves, naming it and what workers serve", async () => {
      const { doctor, backend } = await queueFixture(driver);
      await backend.enqueue({ ...job("report-1", MINUTE), queue: "reports", name: "report.generate" });
      await backend.enqueue({ ...job("mail-1", MINUTE), queue: "mail", name: "mail.send" });
      // A real worker, heartbeat and all, that serves mail and default only (a --queue line missing reports).
      const worker = createWorker({
        backend,
        queue: createQueue(backend),
        registry: createJobRegistry([]),
        options: { queues: ["mail", "default"], sleepSeconds: 60, heartbeatMs: 1000 },
        logger: SILENT_QUEUE_LOGGER,
      });
      try {
        await waitFor("the worker's heartbeat", async () => (await backend.listWorkers()).length === 1);
        await doctor.run(checkQueue);
        expect(doctor.finding("queue.workers").level).toBe("ok");
        expect(doctor.finding("queue.unserved")).toMatchObject({
          level: "fail",
          message:
            'queue "reports" has 1 waiting job(s) and no worker serves it (workers serve: default, mail)',
        });
        expect(doctor.finding("queue.unserved").fix).toContain("marg work --queue reports");
      } finally {
        await worker.stop();
      }
    });
  });
}

describe("doctor: queue store", () => {
  it("fails when the queue store cannot be opened", async () => {
    const doctor = await doctorFixture({ shared: { QUEUE_CONNECTION: "database" } });
    fixtures.push(doctor);
    await doctor.run(checkQueue);
    expect(doctor.finding("queue.reachable").level).toBe("fail");
  });
});
