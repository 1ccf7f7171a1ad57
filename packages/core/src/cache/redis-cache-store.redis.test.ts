import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisCacheStore } from "./redis-cache-store.js";
import { type OwnRedisServer, startOwnRedisServer } from "./test-support/redis-server.js";

describe("RedisCacheStore against a Redis that goes away", () => {
  let server: OwnRedisServer;
  let client: Redis;
  let cache: RedisCacheStore;

  beforeAll(async () => {
    server = await startOwnRedisServer();
    client = new Redis({ host: "127.0.0.1", port: server.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on("error", () => {}); // the outage below is on purpose
    await client.connect();
    cache = new RedisCacheStore({ client, prefix: "marg_database_marg:", operationTimeoutMs: 500 });
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  it("stores each key under REDIS_PREFIX + CACHE_PREFIX", async () => {
    await cache.set("rbac:version", 7);
    expect(await client.get("marg_database_marg:rbac:version")).toBe("7");
  });

  it("answers E_CACHE_UNAVAILABLE while Redis is down, and works again once it is back", async () => {
    await server.stop();
    await expect(cache.get("rbac:version")).rejects.toMatchObject({ code: "E_CACHE_UNAVAILABLE" });
    await expect(cache.increment("rbac:version")).rejects.toMatchObject({ code: "E_CACHE_UNAVAILABLE" });

    server = await startOwnRedisServer(server.port);
    await expect.poll(() => client.status, { timeout: 10_000 }).toBe("ready");
    // A fresh server: the old entry is gone, and the store works as before.
    expect(await cache.get("rbac:version")).toBeUndefined();
    expect(await cache.increment("rbac:version")).toBe(1);
  });
});
