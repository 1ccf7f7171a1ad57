import { createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { NewJob, QueueBackend } from "../queue/types.js";
import { findFreePort, startRedisServer } from "../redis/test-support/redis-server-process.js";
import { createScratchMysqlDatabase, createScratchRedisPrefix, TEST_MYSQL } from "../testing/index.js";
import { queueBacklogCheck } from "./queue-backlog-check.js";
import { buildProbeApp, type ProbeApp } from "./test-support/probe-app.js";
import { startTcpProxy } from "./test-support/tcp-proxy.js";

// /health on a real app server, with each dependency really taken away: a Redis
// we start and kill, a Redis that accepts connections and never answers, a
// database on a port where nothing listens, a queue filled past HEALTH_QUEUE_MAX.

const opened: ProbeApp[] = [];
const scratch = createScratchRedisPrefix("health");
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});
afterAll(() => scratch.clear());

async function probe(options: Parameters<typeof buildProbeApp>[0] = {}): Promise<ProbeApp> {
  const app = await buildProbeApp(options);
  opened.push(app);
  return app;
}

async function health(app: ProbeApp) {
  const started = performance.now();
  const response = await app.server.inject({ method: "GET", url: "/health" });
  return { response, body: response.json(), ms: performance.now() - started };
}

/** A TCP server that accepts connections and never says a word: a hung Redis. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  const port = await findFreePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("/health", () => {
  it("answers 200 in the seed's shape on the embedded drivers, with redis 'not used' and nothing cached", async () => {
    const app = await probe();
    const { response, body } = await health(app);
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(body).toMatchObject({ status: "healthy", database: "connected", redis: "not used" });
    expect(body.checks.database).toMatchObject({ status: "connected", ok: true });
    expect(typeof body.checks.database.latencyMs).toBe("number");
  });

  it("is never rate-limited: a load balancer polling it hard keeps getting answers", async () => {
    const app = await probe();
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i += 1) {
      statuses.add((await app.server.inject({ url: "/health", remoteAddress: "10.0.0.2" })).statusCode);
    }
    expect([...statuses]).toEqual([200]);
  });

  it("answers 503 unhealthy when its Redis is stopped, naming only the error code, never the password or host", async () => {
    const port = await findFreePort();
    const password = "health-test-secret-password";
    const redis = await startRedisServer({ port, password });
    try {
      const app = await probe({
        env: {
          SESSION_DRIVER: "redis",
          REDIS_HOST: "127.0.0.1",
          REDIS_PORT: String(port),
          REDIS_PASSWORD: password,
          REDIS_PREFIX: scratch.prefix,
        },
      });
      const before = await health(app);
      expect(before.response.statusCode).toBe(200);
      expect(before.body).toMatchObject({ status: "healthy", redis: "connected" });

      await redis.stop();
      const after = await health(app);
      expect(after.response.statusCode).toBe(503);
      expect(after.body).toMatchObject({ status: "unhealthy", database: "connected", redis: "disconnected" });
      expect(after.body.checks.redis.error).toBe("E_REDIS_UNAVAILABLE");
      expect(after.response.body).not.toContain(password);
      expect(after.response.body).not.toContain(String(port));
    } finally {
      await redis.stop();
    }
  });

  it("answers 503 within about a second when Redis accepts connections but never replies", async () => {
    const hung = await silentServer();
    try {
      const app = await probe({
        env: { SESSION_DRIVER: "redis", REDIS_HOST: "127.0.0.1", REDIS_PORT: String(hung.port) },
      });
      const { response, body, ms } = await health(app);
      expect(response.statusCode).toBe(503);
      expect(body).toMatchObject({ status: "unhealthy", redis: "disconnected" });
      // The check's budget is 800 ms; the bound is loose because CI machines are busy.
      expect(ms).toBeLessThan(2500);
    } finally {
      await hung.close();
    }
  });

  it("answers 503 with database 'disconnected' when its database becomes unreachable", async () => {
    const database = await createScratchMysqlDatabase("health");
    const proxy = await startTcpProxy(TEST_MYSQL);
    try {
      const app = await probe({
        env: {
          RBAC_DB_DRIVER: "mysql",
          RBAC_DB_HOST: "127.0.0.1",
          RBAC_DB_PORT: String(proxy.port),
          RBAC_DB_DATABASE: database.name,
          RBAC_DB_USERNAME: TEST_MYSQL.user,
          ...(TEST_MYSQL.password === "" ? {} : { RBAC_DB_PASSWORD: TEST_MYSQL.password }),
        },
      });
      expect((await health(app)).response.statusCode).toBe(200);
      await proxy.cut();
      const { response, body } = await health(app);
      expect(response.statusCode).toBe(503);
      expect(body).toMatchObject({ status: "unhealthy", database: "disconnected", redis: "not used" });
      expect(body.checks.database.error).toBe("E_DB_UNAVAILABLE");
    } finally {
      await proxy.cut();
      await database.drop();
    }
  });
});

describe("/health with a queue filled past HEALTH_QUEUE_MAX", () => {
  const job = (n: number): NewJob => ({
    id: `health-${n}`,
    queue: "default",
    name: "probe",
    payload: { n },
    delayMs: 0,
    priority: 100,
    maxAttempts: null,
    backoff: { type: "fixed", delayMs: 1000 },
    timeoutMs: null,
    dispatchedAt: Date.now(),
  });

  async function filledQueue(env: Record<string, string>) {
    let backend: QueueBackend | undefined;
    const app = await probe({
      env: { QUEUE_CONNECTION: "database", HEALTH_QUEUE_MAX: "3", ...env },
      serverOptions: {
        healthChecks: [
          queueBacklogCheck(
            async () => ((await backend?.counts()) ?? []).reduce((sum, queue) => sum + queue.waiting, 0),
            { max: 3, critical: env.HEALTH_BACKLOG_UNHEALTHY === "true" },
          ),
        ],
      },
    });
    backend = app.platform.queueBackend;
    for (let n = 1; n <= 4; n += 1) await backend.enqueue(job(n));
    return app;
  }

  it("reports queue 'backlog' but stays in rotation (200) by default", async () => {
    const app = await filledQueue({});
    const { response, body } = await health(app);
    expect(response.statusCode).toBe(200);
    expect(body).toMatchObject({ status: "healthy", queue: "backlog" });
    expect(body.checks.queue.value).toBe(4);
  });

  it("answers 503 for the backlog when HEALTH_BACKLOG_UNHEALTHY is set", async () => {
    const app = await filledQueue({ HEALTH_BACKLOG_UNHEALTHY: "true" });
    const { response, body } = await health(app);
    expect(response.statusCode).toBe(503);
    expect(body).toMatchObject({ status: "unhealthy", queue: "backlog" });
  });
});
