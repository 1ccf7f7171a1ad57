import { afterEach, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/index.js";
import {
  findFreePort,
  type RedisServerProcess,
  startRedisServer,
} from "../redis/test-support/redis-server-process.js";
import { createTempDir } from "../testing/index.js";
import { checkRedis } from "./redis-findings.js";
import { type DoctorFixture, doctorFixture } from "./test-support/doctor-fixture.js";

// Each Redis setting doctor warns about, on a redis-server started with exactly
// that setting; and one stopped for real.

const servers: RedisServerProcess[] = [];
const fixtures: DoctorFixture[] = [];
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.close();
  for (const server of servers.splice(0)) await server.stop();
  for (const dir of dirs.splice(0)) dir.remove();
});

async function redisWith(args: string[], options: { password?: string; env?: Record<string, string> } = {}) {
  const port = await findFreePort();
  // Its own folder: an append-only file must not meet another server's in the shared tmp.
  const dir = createTempDir("doctor-redis");
  dirs.push(dir);
  servers.push(
    await startRedisServer({
      port,
      args: [...args, "--dir", dir.path],
      ...(options.password ? { password: options.password } : {}),
    }),
  );
  const doctor = await doctorFixture({
    shared: {
      SESSION_DRIVER: "redis",
      QUEUE_CONNECTION: "sync",
      REDIS_HOST: "127.0.0.1",
      REDIS_PORT: String(port),
      ...(options.password ? { REDIS_PASSWORD: options.password } : {}),
      ...options.env,
    },
  });
  fixtures.push(doctor);
  await doctor.run(checkRedis);
  return doctor;
}

describe("doctor: Redis", () => {
  it("warns about the seed's allkeys-lru, saying it can evict queued jobs and live sessions, and what to use instead", async () => {
    const doctor = await redisWith(["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"], {
      password: "pw-for-doctor-1",
    });
    const finding = doctor.finding("redis.maxmemory-policy");
    expect(finding.level).toBe("warn");
    expect(finding.message).toMatch(/queued jobs and live sessions/);
    expect(finding.fix).toMatch(/noeviction/);
    expect(finding.fix).toMatch(/volatile-lru/);
    expect(finding.fix).toMatch(/CACHE_REDIS_HOST/);
  });

  it("finds a Redis that takes clients without a password: a warning, a failure in production", async () => {
    const doctor = await redisWith([]);
    expect(doctor.finding("redis.password").level).toBe("warn");
    const production = await redisWith([], { env: { APP_ENV: "production", APP_KEY: generateAppKey() } });
    expect(production.finding("redis.password").level).toBe("fail");
  });

  it("fails a Redis that persists nothing while it holds sessions, and warns about snapshots only", async () => {
    const none = await redisWith([], { password: "pw-for-doctor-2" });
    expect(none.finding("redis.persistence")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("no persistence"),
    });
    const snapshots = await redisWith(["--save", "900 1"], { password: "pw-for-doctor-3" });
    expect(snapshots.finding("redis.persistence")).toMatchObject({
      level: "warn",
      message: expect.stringContaining("only RDB"),
    });
  });

  it("is all ok with a password, noeviction and an append-only file", async () => {
    const doctor = await redisWith(["--maxmemory-policy", "noeviction", "--appendonly", "yes"], {
      password: "pw-for-doctor-4",
    });
    for (const id of ["redis.reachable", "redis.password", "redis.maxmemory-policy", "redis.persistence"]) {
      expect(doctor.finding(id).level, id).toBe("ok");
    }
  });

  it("fails when Redis is stopped, and says how to start it", async () => {
    const doctor = await redisWith([], { password: "pw-for-doctor-5" });
    await servers[0]?.stop();
    await doctor.run(checkRedis);
    expect(doctor.finding("redis.reachable")).toMatchObject({
      level: "fail",
      fix: expect.stringContaining("systemctl start"),
    });
  });

  it("says Redis is not used on the embedded drivers", async () => {
    const doctor = await doctorFixture();
    fixtures.push(doctor);
    await doctor.run(checkRedis);
    expect(doctor.finding("redis.reachable")).toMatchObject({
      level: "ok",
      message: expect.stringContaining("not used"),
    });
  });
});
