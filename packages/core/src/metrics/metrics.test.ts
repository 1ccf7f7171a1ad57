import path from "node:path";
import { Redis } from "ioredis";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig } from "../config/index.js";
import { countPoolUsage } from "../db/pool-usage-dialect.js";
import { openSqliteDatabase } from "../db/sqlite-dialect-factory.js";
import { MargError } from "../errors/marg-error.js";
import { buildProbeApp, type ProbeApp } from "../health/test-support/probe-app.js";
import { createQueueBackend } from "../queue/create-queue-backend.js";
import { defineJob } from "../queue/job-definition.js";
import { createJobRegistry } from "../queue/job-registry.js";
import { queueMigrations } from "../queue/queue-migrations.js";
import { createQueue } from "../queue/queue-service.js";
import { waitFor } from "../queue/test-support/wait-for.js";
import { SILENT_QUEUE_LOGGER } from "../queue/types.js";
import { createWorker } from "../queue/worker.js";
import { DatabaseSessionStore } from "../session/stores/database-session-store.js";
import { sessionMigrations } from "../session/stores/session-migrations.js";
import type { SessionDatabase } from "../session/stores/session-table.js";
import { createScratchRedisPrefix, createTempDir, TEST_REDIS } from "../testing/index.js";
import { createMargMetrics } from "./create-metrics.js";
import { instrumentQueueBackend } from "./instrument-queue-backend.js";
import { instrumentRedisClient } from "./instrument-redis-client.js";
import { instrumentSessionStore } from "./instrument-session-store.js";
import { startMetricsServer } from "./metrics-server.js";
import type { MargMetrics } from "./types.js";

// The instruments move after real work: requests to a real app server, jobs a
// real worker runs on the database queue, sessions written to a real store,
// commands sent to the shared Redis.

type Labels = Record<string, string>;
interface Sample {
  readonly labels: Readonly<Record<string, string | number | undefined>>;
  readonly value: number;
  readonly metricName?: string;
}

async function sampleValue(
  metric: { get(): Promise<{ values: readonly Sample[] }> },
  labels: Labels,
  metricName?: string,
): Promise<number> {
  const { values } = await metric.get();
  const found = values.find(
    (sample) =>
      (metricName === undefined || sample.metricName === metricName) &&
      Object.entries(labels).every(([key, value]) => String(sample.labels[key]) === value),
  );
  return found?.value ?? 0;
}

const apps: ProbeApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function probe(metrics: MargMetrics, env: Record<string, string> = {}) {
  const app = await buildProbeApp({ env, serverOptions: { metrics, maintenance: false } });
  apps.push(app);
  return app;
}

describe("HTTP metrics and /metrics", () => {
  it("counts each response by route pattern and status, unmatched URLs under one label", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const app = await probe(metrics);
    await app.server.inject({ url: "/health" });
    await app.server.inject({ url: "/health" });
    await app.server.inject({ url: "/no-such-page-1" });
    await app.server.inject({ url: "/no-such-page-2" });
    const health = { app: "probe", method: "GET", route: "/health", status: "200" };
    expect(await sampleValue(metrics.httpRequests, health)).toBe(2);
    expect(await sampleValue(metrics.httpRequests, { route: "(unmatched)", status: "404" })).toBe(2);
    expect(await sampleValue(metrics.httpDuration, health, "marg_http_request_duration_seconds_count")).toBe(
      2,
    );
  });

  it("serves Prometheus text with Node's process metrics to an allowed address", async () => {
    const metrics = createMargMetrics();
    const app = await probe(metrics);
    await app.server.inject({ url: "/health" });
    const response = await app.server.inject({ url: "/metrics", remoteAddress: "127.0.0.1" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/plain");
    for (const name of [
      "marg_http_requests_total",
      "nodejs_eventloop_lag_seconds",
      "nodejs_heap_size_used_bytes",
      "process_resident_memory_bytes",
    ]) {
      expect(response.body).toContain(name);
    }
  });

  it("answers 404 to an address that is not allowed, even one claiming to be 127.0.0.1 through X-Forwarded-For", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const app = await probe(metrics, { METRICS_ALLOW: "127.0.0.1,10.1.0.0/16" });
    const outsider = await app.server.inject({ url: "/metrics", remoteAddress: "203.0.113.9" });
    expect(outsider.statusCode).toBe(404);
    expect(outsider.body).not.toContain("marg_http_requests_total");
    const spoofed = await app.server.inject({
      url: "/metrics",
      remoteAddress: "203.0.113.9",
      headers: { "x-forwarded-for": "127.0.0.1" },
    });
    expect(spoofed.statusCode).toBe(404);
    const fromCidr = await app.server.inject({ url: "/metrics", remoteAddress: "10.1.2.3" });
    expect(fromCidr.statusCode).toBe(200);
  });

  it("opens to anyone with the bearer METRICS_TOKEN, and only with the right one", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const app = await probe(metrics, { METRICS_TOKEN: "scrape-token-123" });
    const withToken = await app.server.inject({
      url: "/metrics",
      remoteAddress: "203.0.113.9",
      headers: { authorization: "Bearer scrape-token-123" },
    });
    expect(withToken.statusCode).toBe(200);
    const wrongToken = await app.server.inject({
      url: "/metrics",
      remoteAddress: "203.0.113.9",
      headers: { authorization: "Bearer scrape-token-124" },
    });
    expect(wrongToken.statusCode).toBe(404);
  });
});

describe("queue and job metrics", () => {
  const temp = createTempDir("metrics-queue");
  afterAll(() => temp.remove());

  it("reports queue sizes by state, and job durations and failures by job name after a worker runs them", async () => {
    const config = loadConfig({
      root: temp.path,
      env: {
        APP_KEY: "base64:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        APP_ENV: "testing",
        STORAGE_PATH: path.join(temp.path, "storage"),
        QUEUE_CONNECTION: "database",
      },
    });
    const metrics = createMargMetrics({ processMetrics: false });
    const { createQueueKysely } = await import("../queue/drivers/queue-kysely-factory.js");
    const { db } = createQueueKysely(config.db.connections.rbac);
    await (await import("../queue/queue-migrations.js")).applyQueueMigrations(db);
    await db.destroy();
    expect(queueMigrations.connection).toBe("rbac");

    const raw = await createQueueBackend(config);
    metrics.addQueueSizeSource(() => raw.counts());
    const backend = instrumentQueueBackend(raw, metrics);
    const ok = defineJob({ name: "metrics.ok", schema: z.object({}), handler: () => undefined });
    const broken = defineJob({
      name: "metrics.broken",
      schema: z.object({}),
      attempts: 1,
      handler: () => {
        throw new Error("always fails");
      },
    });
    const queue = createQueue(backend);
    await queue.dispatch(ok, {});
    await queue.dispatch(ok, {});
    await queue.dispatch(broken, {});
    const waiting = await metrics.registry.getSingleMetric("marg_queue_jobs")?.get();
    expect(waiting?.values.find((v) => v.labels.state === "waiting")?.value).toBe(3);

    const worker = createWorker({
      backend,
      queue,
      registry: createJobRegistry([ok, broken]),
      options: { sleepSeconds: 0.02, heartbeatMs: 200 },
      logger: SILENT_QUEUE_LOGGER,
    });
    try {
      await waitFor("three jobs handled", () => worker.stats().processed >= 3);
    } finally {
      await worker.stop();
      await backend.close();
    }
    const count = "marg_job_duration_seconds_count";
    expect(
      await sampleValue(metrics.jobDuration, { job_name: "metrics.ok", outcome: "completed" }, count),
    ).toBe(2);
    expect(
      await sampleValue(metrics.jobDuration, { job_name: "metrics.broken", outcome: "failed" }, count),
    ).toBe(1);
    expect(await sampleValue(metrics.jobFailures, { job_name: "metrics.broken", final: "true" })).toBe(1);
    expect(await sampleValue(metrics.jobFailures, { job_name: "metrics.ok" })).toBe(0);
    expect(await sampleValue(metrics.jobsProcessed, { job_name: "metrics.broken" })).toBe(1);
    expect(await sampleValue(metrics.jobsCompleted, { job_name: "metrics.ok" })).toBe(2);
  });
});

describe("session, Redis and pool metrics", () => {
  const temp = createTempDir("metrics-stores");
  const scratch = createScratchRedisPrefix("metrics");
  afterAll(async () => {
    temp.remove();
    await scratch.clear();
  });

  it("counts sessions created and destroyed in a real store", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const db = new Kysely<SessionDatabase>({
      dialect: new SqliteDialect({
        database: () => openSqliteDatabase(path.join(temp.path, "sessions.sqlite")),
      }),
    });
    try {
      for (const migration of Object.values(sessionMigrations.migrations)) await migration.up(db);
      const store = instrumentSessionStore(new DatabaseSessionStore(db), metrics, "database");
      const now = Date.now();
      const change = {
        mode: "create" as const,
        set: { a: "1" },
        unset: [],
        userId: "7",
        createdAt: now,
        lastActivity: now,
        expiresAt: now + 60_000,
        deadline: now + 120_000,
      };
      await store.write("a".repeat(64), change);
      await store.write("b".repeat(64), change);
      await store.write("a".repeat(64), { ...change, mode: "update" });
      await store.destroy("a".repeat(64));
      expect(await sampleValue(metrics.sessionsCreated, { driver: "database" })).toBe(2);
      expect(await sampleValue(metrics.sessionsDestroyed, { driver: "database" })).toBe(1);
      expect(await store.destroyUserSessions("7")).toBe(1);
      expect(await sampleValue(metrics.sessionsDestroyed, { driver: "database" })).toBe(2);
    } finally {
      await db.destroy();
    }
  });

  it("times commands on the Redis client by command", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const redis = new Redis({ ...TEST_REDIS, lazyConnect: true });
    try {
      instrumentRedisClient(redis, metrics);
      instrumentRedisClient(redis, metrics);
      await redis.set(`${scratch.prefix}k`, "v");
      await redis.get(`${scratch.prefix}k`);
      await redis.get(`${scratch.prefix}k`);
      const count = "marg_redis_command_duration_seconds_count";
      expect(await sampleValue(metrics.redisCommandDuration, { command: "get", outcome: "ok" }, count)).toBe(
        2,
      );
      expect(await sampleValue(metrics.redisCommandDuration, { command: "set", outcome: "ok" }, count)).toBe(
        1,
      );
    } finally {
      redis.disconnect();
    }
  });

  it("sees a pool connection in use during a transaction and free after it", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const counted = countPoolUsage(
      new SqliteDialect({ database: () => openSqliteDatabase(path.join(temp.path, "pool.sqlite")) }),
      1,
    );
    metrics.addPoolSource("probe/app", counted.usage);
    const db = new Kysely<unknown>({ dialect: counted.dialect });
    try {
      let during = -1;
      await db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        during = counted.usage().inUse;
      });
      expect(during).toBe(1);
      expect(counted.usage()).toEqual({ inUse: 0, max: 1 });
      const text = (await metrics.scrape()).body;
      expect(text).toContain('marg_db_pool_connections{connection="probe/app",state="in_use"} 0');
    } finally {
      await db.destroy();
    }
  });
});

describe("a platform's RBAC cache and SQL pools", () => {
  it("counts permission lookups by cache level and result, and shows each pool's connections in use", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const probe = await buildProbeApp({ platformOptions: { metrics } });
    apps.push(probe);
    const { platform } = probe;
    const lookups = metrics.rbacCacheLookups;

    await platform.rbac.permissionsFor(1);
    expect(await sampleValue(lookups, { level: "local", result: "miss" })).toBe(1);
    expect(await sampleValue(lookups, { level: "shared", result: "miss" })).toBe(1);
    await platform.rbac.permissionsFor(1);
    expect(await sampleValue(lookups, { level: "local", result: "hit" })).toBe(1);

    const pool = metrics.registry.getSingleMetric("marg_db_pool_connections");
    if (pool === undefined) throw new Error("marg_db_pool_connections is not registered");
    const during = await platform.databases
      .connection("app")
      .transaction()
      .execute(async () => sampleValue(pool, { connection: "probe/app", state: "in_use" }));
    expect(during).toBe(1);
    expect(await sampleValue(pool, { connection: "probe/app", state: "in_use" })).toBe(0);
    expect(await sampleValue(pool, { connection: "probe/rbac", state: "max" })).toBe(1);
  });
});

describe("the worker's /metrics listener", () => {
  it("refuses a port another worker holds with a typed error that names WORKER_INDEX", async () => {
    const metrics = createMargMetrics({ processMetrics: false });
    const access = { allow: ["127.0.0.1"], token: undefined };
    const first = await startMetricsServer({ metrics, access, port: 0 });
    try {
      const failure = await startMetricsServer({ metrics, access, port: first.port }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MargError);
      expect((failure as MargError).code).toBe("E_CONFIG_INVALID");
      expect((failure as MargError).message).toContain(`127.0.0.1:${first.port}: the port is in use`);
      expect((failure as MargError).message).toContain("WORKER_INDEX");
    } finally {
      await first.close();
    }
  });
});
