import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateAppKey, loadConfig } from "../config/index.js";
import { isMargError } from "../errors/index.js";
import { createLogCapture, createLogger, type LogCapture } from "../logging/index.js";
import { createScratchRedisPrefix, createTempDir, TEST_REDIS } from "../testing/index.js";
import { createRedisConnections } from "./create-redis-connections.js";
import { findFreePort, startRedisServer, waitForOutput } from "./test-support/redis-server-process.js";
import type { RedisConnections } from "./types.js";

const scratch = createScratchRedisPrefix("redisconn");
const temp = createTempDir("redisconn");
const cleanups: Array<() => Promise<void> | void> = [];
const FAST_RETRY = { retryBaseMs: 20, retryMaxMs: 200 };

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await scratch.clear();
  temp.remove();
});

function connect(env: Record<string, string>): { redis: RedisConnections; logs: LogCapture } {
  const config = loadConfig({
    root: temp.path,
    env: { APP_KEY: generateAppKey(), REDIS_PREFIX: scratch.prefix, LOG_LEVEL: "debug", ...env },
  });
  const logs = createLogCapture();
  const logger = createLogger(config, { destination: logs.destination });
  const redis = createRedisConnections(config.redis, { logger, tuning: FAST_RETRY });
  cleanups.push(() => redis.quit());
  return { redis, logs };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const messages = (logs: LogCapture, pattern: RegExp) => logs.lines().filter((l) => pattern.test(l.msg ?? ""));

describe("createRedisConnections (standalone)", () => {
  const shared = { REDIS_HOST: TEST_REDIS.host, REDIS_PORT: String(TEST_REDIS.port) };

  it("runs commands on keys that all start with REDIS_PREFIX", async () => {
    const { redis } = connect(shared);
    expect(redis.prefix).toBe(scratch.prefix);
    await redis.client.set(redis.prefixed("greeting"), "hello");
    expect(await redis.client.get(`${scratch.prefix}greeting`)).toBe("hello");
    expect(await redis.ping()).toBeGreaterThanOrEqual(0);
    expect(redis.endpoint).toBe(`${TEST_REDIS.host}:${TEST_REDIS.port}`);
  });

  it("delivers pub/sub messages on the subscriber connection", async () => {
    const { redis } = connect(shared);
    const channel = redis.prefixed("events");
    const received = new Promise<string>((resolve) =>
      redis.subscriber().on("message", (_c, m) => resolve(m)),
    );
    await redis.subscriber().subscribe(channel);
    await redis.client.publish(channel, "role-changed");
    expect(await received).toBe("role-changed");
    expect(redis.subscriber()).toBe(redis.subscriber());
  });

  it("gives BullMQ a connection it accepts, and BullMQ's keys start with REDIS_PREFIX too", async () => {
    const { redis } = connect(shared);
    const connection = redis.bullmqConnection();
    expect(connection.options.maxRetriesPerRequest).toBeNull();
    expect(connection.options.keyPrefix).toBeFalsy();
    const queue = new Queue("conn-test", { connection, prefix: redis.prefixed("bull") });
    await queue.add("hello", { n: 1 });
    await queue.close();
    const keys = await redis.client.keys(`${scratch.prefix}*`);
    expect(keys).toContain(`${scratch.prefix}bull:conn-test:id`);
    expect(keys.every((key) => key.startsWith(scratch.prefix))).toBe(true);
  });

  it("sends the general client's commands of one turn together, in order; never BullMQ's", async () => {
    const { redis } = connect(shared);
    await redis.ping();
    const counter = redis.prefixed("pipelined");
    const replies = Array.from({ length: 50 }, () => redis.client.incr(counter));
    // Queued for one write at the end of this turn rather than written one by one.
    expect(redis.client.autoPipelineQueueSize).toBe(50);
    expect(await Promise.all(replies)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(redis.bullmqConnection().options.enableAutoPipelining).toBe(false);
    expect(redis.subscriber().options.enableAutoPipelining).toBe(false);
  });

  it("closes every connection on quit()", async () => {
    const { redis } = connect(shared);
    const subscriber = redis.subscriber();
    const bull = redis.bullmqConnection();
    await redis.ping();
    await redis.quit();
    expect([redis.client.status, subscriber.status, bull.status]).toEqual(["end", "end", "end"]);
  });
});

describe("createRedisConnections (outages)", () => {
  it("picks up a Redis that was down at start, without a restart", async () => {
    const port = await findFreePort();
    const { redis, logs } = connect({ REDIS_PORT: String(port) });
    await waitFor(() => messages(logs, /Redis unavailable/).length > 0, "the outage log");
    const failure = await redis.ping(200).catch((error: unknown) => error);
    expect(isMargError(failure) && failure.code).toBe("E_REDIS_UNAVAILABLE");

    const server = await startRedisServer({ port });
    cleanups.push(() => server.stop());
    await waitFor(() => messages(logs, /Redis back after/).length > 0, "the recovery log");
    await redis.client.set(redis.prefixed("late"), "ok");
    expect(await redis.client.get(redis.prefixed("late"))).toBe("ok");
  });

  it("logs an outage once, however many retries it takes, and again when Redis is back", async () => {
    const port = await findFreePort();
    let server = await startRedisServer({ port });
    cleanups.push(() => server.stop());
    const { redis, logs } = connect({ REDIS_PORT: String(port) });
    redis.subscriber();
    await redis.ping();
    let attempts = 0;
    redis.client.on("reconnecting", () => attempts++);

    await server.stop();
    await waitFor(() => attempts >= 5, "five reconnect attempts");
    server = await startRedisServer({ port });
    await waitFor(() => messages(logs, /Redis back after/).length > 0, "the recovery log");

    const outage = logs.lines().filter((line) => line.level >= 50);
    expect(outage).toHaveLength(1);
    expect(outage[0]).toMatchObject({ redis: `127.0.0.1:${port}` });
    expect(messages(logs, /Redis back after \d+\.\ds/)).toHaveLength(1);
    expect(await redis.ping()).toBeGreaterThanOrEqual(0);
  });

  it("never writes the password to the log, even when Redis rejects it", async () => {
    const port = await findFreePort();
    const server = await startRedisServer({ port, password: "right-pass-4821" });
    cleanups.push(() => server.stop());
    const { redis, logs } = connect({ REDIS_PORT: String(port), REDIS_PASSWORD: "wrong-pass-7319" });
    await waitFor(() => logs.lines().some((line) => line.level >= 50), "the failure log");
    expect(logs.text()).toContain(`127.0.0.1:${port}`);
    expect(logs.text()).not.toContain("wrong-pass-7319");
    await redis.quit();

    const good = connect({ REDIS_PORT: String(port), REDIS_PASSWORD: "right-pass-4821" });
    await good.redis.client.set(good.redis.prefixed("auth"), "ok");
    await server.stop();
    await waitFor(() => good.logs.lines().some((line) => line.level >= 50), "the outage log");
    expect(good.logs.text()).not.toContain("right-pass-4821");
  });
});

describe("createRedisConnections (Sentinel)", () => {
  it("finds the primary through Sentinel when REDIS_SENTINELS is set", async () => {
    const [redisPort, sentinelPort] = [await findFreePort(), await findFreePort()];
    const server = await startRedisServer({ port: redisPort });
    cleanups.push(() => server.stop());
    const dir = path.join(temp.path, `sentinel-${sentinelPort}`);
    mkdirSync(dir);
    const conf = path.join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      `port ${sentinelPort}\nbind 127.0.0.1\nsentinel monitor marg-t 127.0.0.1 ${redisPort} 1\n`,
    );
    const { spawn } = await import("node:child_process");
    const sentinel = spawn("redis-sentinel", [conf], { stdio: ["ignore", "pipe", "pipe"] });
    cleanups.push(() => void sentinel.kill("SIGKILL"));
    await waitForOutput(sentinel, /monitor master marg-t/);

    const { redis } = connect({
      REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
      REDIS_SENTINEL_SERVICE: "marg-t",
      REDIS_HOST: "203.0.113.1",
    });
    expect(redis.endpoint).toBe(`sentinel "marg-t" via 127.0.0.1:${sentinelPort}`);
    await redis.client.set(redis.prefixed("via-sentinel"), "ok");
    expect(await redis.client.get(redis.prefixed("via-sentinel"))).toBe("ok");
  });
});
