import { describe, expect, it } from "vitest";
import { renderExample } from "../testing/example-fleets.js";

describe("redis.conf and redis-cache.conf", () => {
  const phase2 = renderExample("phase2-four-servers");
  const main = phase2.content("redis-1/etc/redis/redis.conf");
  const cache = phase2.content("redis-1/etc/redis/redis-cache.conf");

  it("give sessions and queues a noeviction instance with RDB and AOF fsynced every second", () => {
    expect(main).toMatch(/^maxmemory-policy noeviction$/m);
    expect(main).toMatch(/^appendonly yes$/m);
    expect(main).toMatch(/^appendfsync everysec$/m);
    expect(main).toMatch(/^save 900 1$/m);
    expect(main).toContain(`requirepass ${phase2.secrets.REDIS_PASSWORD}`);
  });

  it("give the cache its own allkeys-lru instance on a second port of the same server, with its own password", () => {
    expect(cache).toMatch(/^maxmemory-policy allkeys-lru$/m);
    expect(cache).toMatch(/^port 6380$/m);
    expect(cache).toContain(`requirepass ${phase2.secrets.CACHE_REDIS_PASSWORD}`);
    expect(cache).not.toContain(phase2.secrets.REDIS_PASSWORD);
  });

  it("bind to loopback and the private address, never 0.0.0.0", () => {
    expect(main).toMatch(/^bind 127\.0\.0\.1 -::1 192\.168\.1\.50$/m);
    expect(`${main}${cache}`).not.toContain("0.0.0.0");
  });

  it("are written owner-only, for the redis user", () => {
    const file = phase2.files.find((candidate) => candidate.path === "redis-1/etc/redis/redis.conf");
    expect(file).toMatchObject({ mode: 0o600, owner: "redis:redis" });
  });

  it("put the cache on the redis-cache server when one is named (phase 4: redis-3)", () => {
    const phase4 = renderExample("phase4-ha");
    expect(phase4.has("redis-3/etc/redis/redis-cache.conf")).toBe(true);
    expect(phase4.has("redis-1/etc/redis/redis-cache.conf")).toBe(false);
    expect(phase4.content("http-1/srv/marg/.env.shared")).toMatch(/^CACHE_REDIS_HOST=192\.168\.1\.56$/m);
  });

  it("make every other redis server a replica, with the same maxmemory as the master", () => {
    const phase4 = renderExample("phase4-ha");
    const confs = ["redis-1", "redis-2", "redis-3"].map((name) =>
      phase4.content(`${name}/etc/redis/redis.conf`),
    );
    expect(confs[0]).not.toContain("replicaof");
    expect(confs[1]).toMatch(/^replicaof 192\.168\.1\.50 6379$/m);
    expect(confs[2]).toMatch(/^replicaof 192\.168\.1\.50 6379$/m);
    const limits = confs.map((conf) => /^maxmemory (\S+)$/m.exec(conf)?.[1]);
    expect(new Set(limits).size).toBe(1);
  });

  it("with one instance: a single noeviction Redis, no cache instance and no CACHE_REDIS_* lines", () => {
    const single = renderExample("phase2-four-servers", (inventory) => {
      inventory.redis.instances = 1;
    });
    expect(single.content("redis-1/etc/redis/redis.conf")).toMatch(/^maxmemory-policy noeviction$/m);
    expect(single.has("redis-1/etc/redis/redis-cache.conf")).toBe(false);
    expect(single.content("http-1/srv/marg/.env.shared")).not.toContain("CACHE_REDIS_");
  });

  it("sentinel.conf watches the master with quorum 2 and both passwords", () => {
    const phase4 = renderExample("phase4-ha");
    const sentinel = phase4.content("redis-2/etc/redis/sentinel.conf");
    expect(sentinel).toMatch(/^sentinel monitor marg-redis 192\.168\.1\.50 6379 2$/m);
    expect(sentinel).toContain(`sentinel auth-pass marg-redis ${phase4.secrets.REDIS_PASSWORD}`);
    expect(sentinel).toContain(`requirepass ${phase4.secrets.REDIS_SENTINEL_PASSWORD}`);
    expect(sentinel).toMatch(/^sentinel down-after-milliseconds marg-redis 5000$/m);
  });
});
