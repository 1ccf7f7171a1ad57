import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchRedisPrefix, TEST_REDIS } from "../../testing/index.js";
import { createManualClock, openAuthTestDatabase } from "../auth-test-support.js";
import type { ThrottleStore } from "../types.js";
import { DatabaseThrottleStore } from "./database-throttle-store.js";
import { RedisThrottleStore } from "./redis-throttle-store.js";

/** A store under test and a way to let time pass for it. */
interface Harness {
  readonly store: ThrottleStore;
  /** Lets `ms` pass: moves a manual clock, or really waits where the server keeps time (Redis). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

const DRIVERS: ReadonlyArray<{ name: string; open(): Promise<Harness> }> = [
  {
    name: "redis",
    async open() {
      const scratch = createScratchRedisPrefix("throttle");
      const redis = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 });
      return {
        store: new RedisThrottleStore(redis, { prefix: scratch.prefix }),
        advance: (ms) => sleep(ms),
        async close() {
          await scratch.clear();
          redis.disconnect();
        },
      };
    },
  },
  ...(["sqlite", "mysql"] as const).map((dialect) => ({
    name: `database-${dialect}`,
    async open(): Promise<Harness> {
      const database = await openAuthTestDatabase(dialect, "throttle");
      const clock = createManualClock();
      return {
        store: new DatabaseThrottleStore(database.db, { clock }),
        advance: async (ms) => clock.advance(ms),
        close: () => database.close(),
      };
    },
  })),
];

// Short windows keep the Redis driver's real waits brief; the database drivers move a clock.
const WINDOW_MS = 300;

for (const driver of DRIVERS) {
  describe(`ThrottleStore conformance: ${driver.name}`, () => {
    let harness: Harness;
    let store: ThrottleStore;
    let n = 0;
    const key = () => `key-${++n}`;

    beforeAll(async () => {
      harness = await driver.open();
      store = harness.store;
    });
    afterAll(() => harness.close());

    it("counts hits from one and reports the time left in the window", async () => {
      const k = key();
      expect((await store.hit(k, 60_000)).count).toBe(1);
      const second = await store.hit(k, 60_000);
      expect(second.count).toBe(2);
      expect(second.resetInMs).toBeGreaterThan(50_000);
      expect(second.resetInMs).toBeLessThanOrEqual(60_000);
    });

    it("peeks without counting, and knows nothing of a key never hit", async () => {
      const k = key();
      expect(await store.peek(k)).toBeNull();
      await store.hit(k, 60_000);
      expect((await store.peek(k))?.count).toBe(1);
      expect((await store.peek(k))?.count).toBe(1);
    });

    it("keeps keys apart", async () => {
      const a = key();
      const b = key();
      await store.hit(a, 60_000);
      await store.hit(a, 60_000);
      expect((await store.hit(b, 60_000)).count).toBe(1);
    });

    it("does not extend the window with later hits, and starts again from one after it", async () => {
      const k = key();
      await store.hit(k, WINDOW_MS);
      await harness.advance(WINDOW_MS / 2);
      await store.hit(k, WINDOW_MS);
      await harness.advance(WINDOW_MS / 2 + 50);
      expect(await store.peek(k)).toBeNull();
      const fresh = await store.hit(k, WINDOW_MS);
      expect(fresh.count).toBe(1);
    });

    it("releases one hit at a time, never below zero", async () => {
      const k = key();
      await store.hit(k, 60_000);
      await store.hit(k, 60_000);
      await store.release(k);
      expect((await store.peek(k))?.count).toBe(1);
      await store.release(k);
      await store.release(k);
      expect(await store.peek(k)).toBeNull();
      expect((await store.hit(k, 60_000)).count).toBe(1);
    });

    it("clears a key entirely", async () => {
      const k = key();
      await store.hit(k, 60_000);
      await store.clear(k);
      expect(await store.peek(k)).toBeNull();
      expect((await store.hit(k, 60_000)).count).toBe(1);
    });

    it("counts every one of many simultaneous hits exactly once", async () => {
      const k = key();
      const counts = await Promise.all(Array.from({ length: 20 }, () => store.hit(k, 60_000)));
      expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });
  });
}
