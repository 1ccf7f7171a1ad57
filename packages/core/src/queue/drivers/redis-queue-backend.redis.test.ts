import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { TEST_REDIS } from "../../testing/index.js";
import { defineJob } from "../job-definition.js";
import { createJobRegistry } from "../job-registry.js";
import { createQueue, type Queue } from "../queue-service.js";
import { type PreparedQueueDriver, prepareQueueDriver } from "../test-support/queue-test-drivers.js";
import { waitFor } from "../test-support/wait-for.js";
import { type QueueBackend, SILENT_QUEUE_LOGGER } from "../types.js";
import { createWorker } from "../worker.js";

describe("the redis queue driver's keys", () => {
  let prepared: PreparedQueueDriver;
  let backend: QueueBackend;
  let queue: Queue;
  let redis: Redis;
  const doomed = defineJob({
    name: "test.doomed",
    schema: z.object({}),
    attempts: 1,
    handler() {
      throw new Error("no");
    },
  });

  beforeAll(async () => {
    prepared = await prepareQueueDriver("redis", "keys");
    backend = await prepared.openBackend();
    queue = createQueue(backend);
    redis = new Redis(TEST_REDIS);
  });

  afterAll(async () => {
    redis?.disconnect();
    await backend?.close();
    await prepared?.cleanup();
  });

  async function keys(pattern: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== "0");
    return found.sort();
  }

  it("puts a queue's keys under REDIS_PREFIX + queues, the seed's marg_database_queues:* shape", async () => {
    const prefix = prepared.config.redis.prefix;
    const { id } = await queue.dispatch(doomed, {});
    const queueKeys = await keys(`${prefix}queues:default:*`);
    expect(queueKeys).toContain(`${prefix}queues:default:${id}`);
    expect(queueKeys).toContain(`${prefix}queues:default:prioritized`);
    expect(await redis.smembers(`${prefix}queues:_marg:queues`)).toEqual(["default"]);
    // Everything the driver wrote sits under the queue prefix.
    expect((await keys(`${prefix}*`)).filter((key) => !key.startsWith(`${prefix}queues:`))).toEqual([]);
  });

  it("gives a retried job a fresh stall counter", async () => {
    const worker = createWorker({
      backend,
      queue,
      registry: createJobRegistry([doomed]),
      logger: SILENT_QUEUE_LOGGER,
      options: { sleepSeconds: 0.05, heartbeatMs: 300 },
    });
    const [failed] = await waitFor("the failed job", () =>
      queue.failed().then((jobs) => jobs.length === 1 && jobs),
    );
    await worker.stop();
    const key = `${prepared.config.redis.prefix}queues:default:${failed?.id}`;
    await redis.hset(key, "stc", "2");
    await queue.retry(failed?.id ?? "");
    expect(await redis.hget(key, "stc")).toBeNull();
  });
});
