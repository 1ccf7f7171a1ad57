import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheMigrations } from "../cache/cache-migrations.js";
import { RedisCacheStore } from "../cache/redis-cache-store.js";
import { type OwnRedisServer, startOwnRedisServer } from "../cache/test-support/redis-server.js";
import {
  createTestDatabase,
  runTestMigrations,
  type TestDatabase,
} from "../cache/test-support/test-databases.js";
import { rbacMigrations } from "./rbac-migrations.js";
import { RbacRepository } from "./rbac-repository.js";
import type { RbacTables } from "./rbac-schema.js";
import { RbacService } from "./rbac-service.js";
import { RBAC_VERSION_KEY } from "./rbac-version.js";
import { QueryCounter } from "./test-support/rbac-test-env.js";
import type { RbacLogger } from "./types.js";

/** Collects what RBAC logs, to check an outage is reported once and its end too. */
class LogCapture implements RbacLogger {
  readonly lines: { level: string; message: string }[] = [];
  warn(_: Record<string, unknown>, message: string) {
    this.lines.push({ level: "warn", message });
  }
  info(_: Record<string, unknown>, message: string) {
    this.lines.push({ level: "info", message });
  }
  count(level: string) {
    return this.lines.filter((line) => line.level === level).length;
  }
}

describe("RBAC while its Redis cache is down", () => {
  let database: TestDatabase<RbacTables>;
  let redisServer: OwnRedisServer;
  const clients: Redis[] = [];
  const services: RbacService[] = [];
  const ANN = 1;

  function server(options: { logger?: RbacLogger; queries?: QueryCounter } = {}): RbacService {
    const client = new Redis({ host: "127.0.0.1", port: redisServer.port, maxRetriesPerRequest: 1 });
    client.on("error", () => {}); // outages here are on purpose
    clients.push(client);
    const db = options.queries === undefined ? database.db : database.db.withPlugin(options.queries);
    const service = new RbacService({
      repository: new RbacRepository(db),
      store: new RedisCacheStore({ client, prefix: "marg_database_marg:", operationTimeoutMs: 300 }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    services.push(service);
    return service;
  }

  beforeAll(async () => {
    database = await createTestDatabase("sqlite", "rbac_outage");
    await runTestMigrations(database.db, [cacheMigrations, rbacMigrations]);
    redisServer = await startOwnRedisServer();
    const admin = server();
    await admin.createPermission("links.delete");
    await admin.createRole("editor");
    await admin.grant("editor", "links.delete");
    await admin.assign(ANN, "editor");
  });
  afterAll(async () => {
    for (const service of services) service.close();
    for (const client of clients) client.disconnect();
    await redisServer.stop();
    await database.destroy();
  });

  it("keeps answering from the database when Redis stops, warns once, and uses the cache again when it is back", async () => {
    const log = new LogCapture();
    const queries = new QueryCounter();
    const web = server({ logger: log, queries });
    expect(await web.can(ANN, "links.delete")).toBe(true);

    await redisServer.stop();
    const admin = server();
    await admin.revoke("editor", "links.delete"); // the database changes; the version bump cannot reach Redis
    await expect.poll(() => web.can(ANN, "links.delete"), { timeout: 2000, interval: 50 }).toBe(false);
    expect(web.degraded).toBe(true);
    for (let i = 0; i < 5; i += 1) expect(await web.can(ANN, "links.delete")).toBe(false);
    expect(log.count("warn")).toBe(1);

    redisServer = await startOwnRedisServer(redisServer.port);
    await expect.poll(() => web.degraded, { timeout: 10_000, interval: 50 }).toBe(false);
    expect(log.lines.at(-1)).toMatchObject({ level: "info", message: expect.stringContaining("back") });
    await admin.grant("editor", "links.delete");
    await expect.poll(() => web.can(ANN, "links.delete"), { timeout: 1000, interval: 25 }).toBe(true);
    queries.count = 0;
    expect(await web.can(ANN, "links.delete")).toBe(true);
    expect(queries.count).toBe(0);
  });

  it("does not let what Redis held through a stall hide a change made during it", async () => {
    const web = server();
    const worker = server();
    expect(await web.can(ANN, "links.delete")).toBe(true);
    expect(await worker.can(ANN, "links.delete")).toBe(true);
    const probe = new Redis({ host: "127.0.0.1", port: redisServer.port });
    clients.push(probe);
    const before = Number(await probe.get(`marg_database_marg:${RBAC_VERSION_KEY}`));

    // Redis keeps its data but answers nobody for 1.5 s: a stall, as a network cut looks.
    await probe.call("CLIENT", "PAUSE", "1500", "ALL");
    const admin = server();
    await admin.revoke("editor", "links.delete");
    await expect.poll(() => web.can(ANN, "links.delete"), { timeout: 2000, interval: 50 }).toBe(false);
    await sleep(1600);

    // Redis answers again with the old version and the old cached sets: both servers must still say no.
    await expect.poll(() => web.degraded || worker.degraded, { timeout: 5000, interval: 50 }).toBe(false);
    for (let i = 0; i < 5; i += 1) {
      expect(await web.can(ANN, "links.delete")).toBe(false);
      expect(await worker.can(ANN, "links.delete")).toBe(false);
    }
    expect(Number(await probe.get(`marg_database_marg:${RBAC_VERSION_KEY}`))).toBeGreaterThan(before);
  });
});
