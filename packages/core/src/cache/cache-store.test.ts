import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchRedisPrefix, TEST_REDIS } from "../testing/index.js";
import { type CacheTables, cacheMigrations } from "./cache-migrations.js";
import { DatabaseCacheStore } from "./database-cache-store.js";
import { MemoryCacheStore } from "./memory-cache-store.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import { createTestDatabase, runTestMigrations, type SqlTestDriver } from "./test-support/test-databases.js";
import type { CacheStore } from "./types.js";

/** One driver under test: `open(prefix)` gives a store over the same backend with its own key prefix. */
interface DriverHarness {
  open(prefix: string): CacheStore;
  close(): Promise<void>;
}

async function databaseHarness(driver: SqlTestDriver): Promise<DriverHarness> {
  const database = await createTestDatabase<CacheTables>(driver, `cache_${driver}`);
  await runTestMigrations(database.db, [cacheMigrations]);
  return {
    open: (prefix) => new DatabaseCacheStore({ db: database.db, prefix }),
    close: () => database.destroy(),
  };
}

const DRIVERS: Record<string, () => Promise<DriverHarness>> = {
  memory: async () => {
    const shared = new Map<string, MemoryCacheStore>();
    return {
      // One process-wide store per prefix, as CACHE_STORE=memory gives each prefix its own entries.
      open: (prefix) => {
        const store = shared.get(prefix) ?? new MemoryCacheStore({ prefix });
        shared.set(prefix, store);
        return store;
      },
      close: async () => {},
    };
  },
  redis: async () => {
    const scratch = createScratchRedisPrefix("cache");
    const client = new Redis({ ...TEST_REDIS, lazyConnect: true });
    await client.connect();
    return {
      open: (prefix) => new RedisCacheStore({ client, prefix: scratch.prefix + prefix }),
      async close() {
        await scratch.clear();
        client.disconnect();
      },
    };
  },
  "database-sqlite": () => databaseHarness("sqlite"),
  "database-mysql": () => databaseHarness("mysql"),
};

for (const [name, makeHarness] of Object.entries(DRIVERS)) {
  describe(`CacheStore conformance: ${name}`, () => {
    let harness: DriverHarness;
    let cache: CacheStore;

    beforeAll(async () => {
      harness = await makeHarness();
      cache = harness.open("marg:");
    });
    afterAll(() => harness.close());

    it("answers undefined for a key never written", async () => {
      expect(await cache.get("never-written")).toBeUndefined();
    });

    it("gives back JSON values as they were written", async () => {
      const value = { name: "Ann", roles: ["admin", "member"], count: 3, active: true, note: null };
      await cache.set("json", value);
      expect(await cache.get("json")).toEqual(value);
      await cache.set("text", "plain");
      expect(await cache.get("text")).toBe("plain");
    });

    it("keeps keys that differ only in case apart", async () => {
      await cache.set("Case:Key", 1);
      await cache.set("case:key", 2);
      expect(await cache.get("Case:Key")).toBe(1);
      expect(await cache.get("case:key")).toBe(2);
    });

    it("forgets an entry once its lifetime has passed, and a later write replaces value and lifetime", async () => {
      await cache.set("short", "soon gone", { ttlSeconds: 0.15 });
      expect(await cache.get("short")).toBe("soon gone");
      await sleep(400);
      expect(await cache.get("short")).toBeUndefined();
      await cache.set("short", "now forever");
      await cache.set("short", "still forever");
      expect(await cache.get("short")).toBe("still forever");
    });

    it("rejects a lifetime that is not a positive number", async () => {
      await expect(cache.set("bad-ttl", 1, { ttlSeconds: 0 })).rejects.toThrow(/positive/);
    });

    it("reads and writes several keys at once, in the order asked", async () => {
      await cache.setMany(
        [
          ["many:a", 1],
          ["many:b", { b: true }],
        ],
        { ttlSeconds: 60 },
      );
      expect(await cache.getMany(["many:b", "many:missing", "many:a"])).toEqual([{ b: true }, undefined, 1]);
      expect(await cache.getMany([])).toEqual([]);
    });

    it("adds only when the key is missing or expired", async () => {
      expect(await cache.add("lock", "first", { ttlSeconds: 0.15 })).toBe(true);
      expect(await cache.add("lock", "second")).toBe(false);
      expect(await cache.get("lock")).toBe("first");
      await sleep(400);
      expect(await cache.add("lock", "third")).toBe(true);
      expect(await cache.get("lock")).toBe("third");
    });

    it("deletes an entry and says whether there was one", async () => {
      await cache.set("doomed", 1);
      expect(await cache.delete("doomed")).toBe(true);
      expect(await cache.delete("doomed")).toBe(false);
      expect(await cache.get("doomed")).toBeUndefined();
    });

    it("increments from zero, atomically under concurrency, and keeps a live entry's lifetime", async () => {
      expect(await cache.increment("counter")).toBe(1);
      expect(await cache.increment("counter", 5)).toBe(6);
      await Promise.all(Array.from({ length: 20 }, () => cache.increment("counter")));
      expect(await cache.get("counter")).toBe(26);

      await cache.set("timed-counter", 10, { ttlSeconds: 0.2 });
      expect(await cache.increment("timed-counter")).toBe(11);
      await sleep(450);
      expect(await cache.get("timed-counter")).toBeUndefined();
      expect(await cache.increment("timed-counter")).toBe(1);
    });

    it("refuses to increment an entry that is not an integer", async () => {
      await cache.set("words", "not a number");
      await expect(cache.increment("words")).rejects.toThrow(TypeError);
    });

    it("clears only its own prefix", async () => {
      const other = harness.open("other:");
      await other.set("kept", "yes");
      await cache.set("gone", "yes");
      await cache.clear();
      expect(await cache.get("gone")).toBeUndefined();
      expect(await other.get("kept")).toBe("yes");
    });
  });
}
