import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchRedisPrefix, TEST_REDIS } from "../testing/index.js";
import { type AuthTestDatabase, createTestHasher, openAuthTestDatabase } from "./auth-test-support.js";
import { type SignInLimits, SignInService } from "./sign-in-service.js";
import { RedisThrottleStore } from "./stores/redis-throttle-store.js";
import { UserRepository } from "./user-repository.js";

const PASSWORD = "correct horse battery";
// A window short enough to wait out for real (Redis keeps the time, not the test),
// long enough that a busy machine still makes six attempts inside it.
const LIMITS: SignInLimits = {
  freeFailures: 5,
  backoffBaseMs: 2_000,
  backoffMaxMs: 8_000,
  failureMemoryMs: 60_000,
  ip: { maxAttempts: 20, windowMs: 2_000 },
};

describe("SignInService on a shared Redis throttle", () => {
  const scratch = createScratchRedisPrefix("sign_in");
  const clients: Redis[] = [];
  let database: AuthTestDatabase;
  let servers: SignInService[];

  beforeAll(async () => {
    database = await openAuthTestDatabase("sqlite", "sign_in_redis");
    const hasher = createTestHasher();
    const users = new UserRepository(database.db, { hasher });
    await users.create({ email: "ann@example.com", name: "Ann", password: PASSWORD });
    // Two app servers: each its own Redis connection, one shared counter space.
    servers = [0, 1].map(() => {
      const redis = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 });
      clients.push(redis);
      return new SignInService({
        users,
        hasher,
        throttle: new RedisThrottleStore(redis, { prefix: scratch.prefix }),
        limits: LIMITS,
      });
    });
  });
  afterAll(async () => {
    await scratch.clear();
    for (const redis of clients) redis.disconnect();
    await database.close();
  });

  it("makes the guessing address wait after failures spread over two servers, while the owner signs in from elsewhere", async () => {
    for (let i = 0; i < 5; i++) {
      await servers[i % 2]?.attempt({
        email: "ann@example.com",
        password: `wrong guess ${i}`,
        ip: "10.0.0.1",
      });
    }
    const guesser = await servers[1]?.attempt({
      email: "ann@example.com",
      password: PASSWORD,
      ip: "10.0.0.1",
    });
    expect(guesser).toMatchObject({ ok: false, reason: "throttled" });
    expect(guesser?.ok === false && guesser.retryAfterSeconds).toBeOneOf([1, 2]);
    const owner = await servers[0]?.attempt({ email: "ann@example.com", password: PASSWORD, ip: "10.0.0.9" });
    expect(owner?.ok).toBe(true);
    await sleep(LIMITS.backoffBaseMs + 50);
    expect(
      (await servers[0]?.attempt({ email: "ann@example.com", password: PASSWORD, ip: "10.0.0.1" }))?.ok,
    ).toBe(true);
  });

  it("lets at most one attempt past the free failures through a burst of parallel wrong guesses", async () => {
    // The success that ended the test above cleared the pair's counter.
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        servers[i % 2]?.attempt({
          email: "ann@example.com",
          password: `parallel ${i} guess`,
          ip: "10.0.1.1",
        }),
      ),
    );
    const checked = burst.filter((r) => r?.ok === false && r.reason === "invalid").length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(6);
    expect(burst.filter((r) => r?.ok === false && r.reason === "throttled")).toHaveLength(12 - checked);
  });
});
