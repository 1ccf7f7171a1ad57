import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob } from "../queue/job-definition.js";
import { createJobRegistry } from "../queue/job-registry.js";
import { createQueue } from "../queue/queue-service.js";
import { type PreparedQueueDriver, prepareQueueDriver } from "../queue/test-support/queue-test-drivers.js";
import { waitFor } from "../queue/test-support/wait-for.js";
import { SILENT_QUEUE_LOGGER } from "../queue/types.js";
import { createWorker, type QueueWorker } from "../queue/worker.js";
import { createMaintenanceGate } from "./maintenance-gate.js";
import { pauseWhileInMaintenance } from "./pause-workers.js";
import {
  type OpenedMaintenanceStore,
  openMaintenanceStoreFor,
} from "./test-support/maintenance-store-drivers.js";
import { ALL_APPS, type MaintenanceState } from "./types.js";

const down = (pauseWorkers: boolean): MaintenanceState => ({
  scope: ALL_APPS,
  message: "Deploying updates...",
  retryAfterSeconds: null,
  secretHash: null,
  bypassCookieHash: null,
  allow: [],
  pauseWorkers,
  since: Date.now(),
});

describe("workers during maintenance", () => {
  let prepared: PreparedQueueDriver;
  let maintenance: OpenedMaintenanceStore;
  let worker: QueueWorker;
  const handled: number[] = [];
  const job = defineJob({
    name: "maintenance.probe",
    schema: z.object({ n: z.number() }),
    handler: ({ n }) => void handled.push(n),
  });

  beforeAll(async () => {
    prepared = await prepareQueueDriver("database-sqlite", "pause");
    maintenance = await openMaintenanceStoreFor("database-sqlite");
    const backend = pauseWhileInMaintenance(
      await prepared.openBackend(),
      createMaintenanceGate(maintenance.store, { ttlMs: 0, maxStaleMs: 0 }),
      { pollMs: 50 },
    );
    worker = createWorker({
      backend,
      queue: createQueue(backend),
      registry: createJobRegistry([job]),
      options: { sleepSeconds: 0.02, heartbeatMs: 500 },
      logger: SILENT_QUEUE_LOGGER,
    });
  });
  afterAll(async () => {
    await worker.stop();
    await maintenance.cleanup();
    await prepared.cleanup();
  });

  it("keep running through `marg down` without --workers", async () => {
    await maintenance.store.put(down(false));
    const queue = createQueue(await prepared.openBackend());
    await queue.dispatch(job, { n: 1 });
    await waitFor("job 1", () => handled.includes(1));
  });

  it("stop taking jobs under `marg down --workers` and take them again after `marg up`", async () => {
    await maintenance.store.put(down(true));
    // Ten poll intervals: the pause is in force well before the job is queued.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const queue = createQueue(await prepared.openBackend());
    await queue.dispatch(job, { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled).not.toContain(2);
    await maintenance.store.removeAll();
    await waitFor("job 2 after marg up", () => handled.includes(2));
  });
});
