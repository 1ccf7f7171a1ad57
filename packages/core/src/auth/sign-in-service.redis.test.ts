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
  account: { maxFailures: 5, windowMs: 2_000 },
  ip: { maxFailures: 20, windowMs: 2_000 },
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

  it("locks an account whose failures are spread over two servers, until the window passes", async () => {
    for (let i = 0; i < 5; i++) {
      await servers[i % 2]?.attempt({
        email: "ann@example.com",
        password: `wrong guess ${i}`,
        ip: `10.0.0.${i}`,
      });
    }
    const locked = await servers[1]?.attempt({
      email: "ann@example.com",
      password: PASSWORD,
      ip: "10.0.0.9",
    });
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    expect(locked?.ok === false && locked.retryAfterSeconds).toBeOneOf([1, 2]);
    await sleep(LIMITS.account.windowMs + 50);
    expect(
      (await servers[0]?.attempt({ email: "ann@example.com", password: PASSWORD, ip: "10.0.0.9" }))?.ok,
    ).toBe(true);
  });

  it("lets no more than five of a burst of parallel wrong guesses be checked", async () => {
    // The success that ended the test above cleared the account's counter.
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        servers[i % 2]?.attempt({
          email: "ann@example.com",
          password: `parallel ${i} guess`,
          ip: `10.0.1.${i}`,
        }),
      ),
    );
    expect(burst.filter((r) => r?.ok === false && r.reason === "invalid")).toHaveLength(5);
    expect(burst.filter((r) => r?.ok === false && r.reason === "throttled")).toHaveLength(7);
  });
});
