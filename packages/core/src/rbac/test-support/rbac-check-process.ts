// A second "server" for the propagation test: a real Node process that opens the
// same RBAC database and cache store as the test, and answers checks on stdin.
// Reads: one JSON request per stdin line — {id, target: {sql, target, cache, redisPrefix}, userId, permission};
// it opens one RbacService per target, on first use. Writes: one JSON line per request on stdout,
// {"id":…,"allowed":…,"queries":…} (queries = RBAC database statements that service has sent so far).
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { CacheTables } from "../../cache/cache-migrations.js";
import { DatabaseCacheStore } from "../../cache/database-cache-store.js";
import { RedisCacheStore } from "../../cache/redis-cache-store.js";
import { openTestKysely, type SqlTestDriver } from "../../cache/test-support/test-databases.js";
import type { CacheStore } from "../../cache/types.js";
import { TEST_REDIS } from "../../testing/index.js";
import { RbacRepository } from "../rbac-repository.js";
import type { RbacTables } from "../rbac-schema.js";
import { RbacService } from "../rbac-service.js";
import { type AllTestTables, QueryCounter, retype } from "./rbac-test-env.js";

export interface CheckTarget {
  readonly sql: SqlTestDriver;
  readonly target: string;
  readonly cache: "redis" | "database";
  readonly redisPrefix?: string | undefined;
}

interface Server {
  readonly rbac: RbacService;
  readonly queries: QueryCounter;
  readonly db: Kysely<AllTestTables>;
  readonly redis: Redis | undefined;
}

const servers = new Map<string, Server>();

function serverFor(target: CheckTarget): Server {
  const key = JSON.stringify(target);
  const existing = servers.get(key);
  if (existing !== undefined) return existing;
  const db = openTestKysely<AllTestTables>({ driver: target.sql, target: target.target });
  const queries = new QueryCounter();
  const redis = target.cache === "redis" ? new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 }) : undefined;
  const store: CacheStore =
    redis === undefined
      ? new DatabaseCacheStore({ db: retype<CacheTables>(db), prefix: "marg:" })
      : new RedisCacheStore({ client: redis, prefix: `${target.redisPrefix ?? ""}marg:` });
  const rbac = new RbacService({
    repository: new RbacRepository(retype<RbacTables>(db.withPlugin(queries))),
    store,
  });
  const server = { rbac, queries, db, redis };
  servers.set(key, server);
  return server;
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const request = JSON.parse(line) as { id: number; target: CheckTarget; userId: number; permission: string };
  const server = serverFor(request.target);
  server.rbac.can(request.userId, request.permission).then(
    (allowed) =>
      process.stdout.write(`${JSON.stringify({ id: request.id, allowed, queries: server.queries.count })}\n`),
    (error: unknown) => process.stdout.write(`${JSON.stringify({ id: request.id, error: String(error) })}\n`),
  );
});
lines.on("close", () => {
  for (const server of servers.values()) {
    server.rbac.close();
    server.redis?.disconnect();
    void server.db.destroy();
  }
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
