import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMargError } from "../../errors/marg-error.js";
import { createScratchRedisPrefix, TEST_REDIS } from "../../testing/index.js";
import { RedisThrottleStore } from "./redis-throttle-store.js";

describe("RedisThrottleStore", () => {
  const scratch = createScratchRedisPrefix("throttle_redis");
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await scratch.clear();
    redis.disconnect();
  });

  it("keeps each counter under its prefix, with the window as the key's TTL", async () => {
    const store = new RedisThrottleStore(redis, { prefix: scratch.prefix });
    await store.hit("account:abc", 60_000);
    expect(await redis.get(`${scratch.prefix}account:abc`)).toBe("1");
    const ttl = await redis.pttl(`${scratch.prefix}account:abc`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("gives a TTL to a counter found without one, so it cannot lock an account forever", async () => {
    const store = new RedisThrottleStore(redis, { prefix: scratch.prefix });
    await redis.set(`${scratch.prefix}account:stuck`, "7");
    const counter = await store.hit("account:stuck", 60_000);
    expect(counter.count).toBe(8);
    expect(await redis.pttl(`${scratch.prefix}account:stuck`)).toBeGreaterThan(0);
  });

  it("reports an unreachable Redis as E_AUTH_THROTTLE_STORE, so sign-in fails closed", async () => {
    const dead = new Redis({
      host: "127.0.0.1",
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on("error", () => {}); // the refused connection is the point of this test
    const store = new RedisThrottleStore(dead, { prefix: scratch.prefix });
    const error = await store.hit("account:x", 1000).catch((e: unknown) => e);
    expect(isMargError(error) && error.code).toBe("E_AUTH_THROTTLE_STORE");
    expect(isMargError(error) && error.status).toBe(503);
    dead.disconnect();
  });
});
