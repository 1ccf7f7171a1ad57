import { existsSync } from "node:fs";
import { isMargError, type MargConfig, MargError } from "@marg/core";
import SQLite from "better-sqlite3";
import { Redis } from "ioredis";
import { Kysely, MysqlDialect, SqliteDialect } from "kysely";
import { createPool } from "mysql2";
import type { CliContext } from "../cli-context.js";
import {
  type CacheStore,
  type CacheTables,
  DatabaseCacheStore,
  type DirectoryTables,
  RbacRepository,
  RbacService,
  type RbacTables,
  RedisCacheStore,
  SqlUserDirectory,
} from "./rbac-core.js";

/** What an rbac:* command works with; `close()` releases every connection. */
export interface RbacCommandContext {
  readonly config: MargConfig;
  readonly rbac: RbacService;
  readonly repository: RbacRepository;
  readonly users: SqlUserDirectory;
  /** `redis`, `database`, or undefined when no shared cache is reachable from here (CACHE_STORE=memory). */
  readonly cacheDriver: string | undefined;
  close(): Promise<void>;
}

type AllTables = RbacTables & CacheTables & DirectoryTables;

/**
 * Opens the `rbac` connection from config (SQLite file or MySQL). Temporary: the DB
 * layer's createDatabases replaces this once it lands.
 */
function openRbacDatabase(config: MargConfig): Kysely<AllTables> {
  const conn = config.db.connections.rbac;
  if (conn.driver === "sqlite") {
    if (!existsSync(conn.filename)) {
      throw new MargError(
        "E_DB_UNAVAILABLE",
        `The RBAC database ${conn.filename} does not exist yet; run \`marg migrate\` (and \`marg db:seed\`) first.`,
        { status: 503 },
      );
    }
    const sqlite = new SQLite(conn.filename);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
    return new Kysely<AllTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const pool = createPool({
    host: conn.host,
    port: conn.port,
    user: conn.user,
    password: conn.password?.reveal() ?? "",
    database: conn.database,
    connectionLimit: 2,
    connectTimeout: 5000,
  });
  return new Kysely<AllTables>({ dialect: new MysqlDialect({ pool }) });
}

/** Temporary too: the Redis capability's createRedisConnections replaces this (it adds Sentinel). */
function openCacheRedis(config: MargConfig): Redis {
  const target = config.cache.redis ?? config.redis;
  const redis = new Redis({
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.password === undefined ? {} : { password: target.password.reveal() }),
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // A CLI command retries once, then reports the outage instead of waiting.
    retryStrategy: (attempt) => (attempt > 1 ? null : 200),
  });
  redis.on("error", () => {}); // reported through the cache store's E_CACHE_UNAVAILABLE
  return redis;
}

// One connection holds RBAC's, the cache's and auth's tables; each part sees its own.
const view = <T>(db: Kysely<AllTables>) => db as unknown as Kysely<T>;

export async function openRbacCommandContext(ctx: CliContext): Promise<RbacCommandContext> {
  const config = ctx.config();
  const db = openRbacDatabase(config);
  try {
    await db.selectFrom("roles").select("id").limit(1).execute();
  } catch (error) {
    await db.destroy();
    throw new MargError(
      "E_DB_UNAVAILABLE",
      `Cannot read the RBAC tables of ${config.db.connections.rbac.database} (${(error as Error).message}); ` +
        "check the RBAC_DB_* settings and run `marg migrate`.",
      { status: 503, cause: error },
    );
  }
  let redis: Redis | undefined;
  let store: CacheStore | undefined;
  if (config.cache.store === "redis") {
    redis = openCacheRedis(config);
    store = new RedisCacheStore({ client: redis, prefix: `${config.redis.prefix}${config.cache.prefix}:` });
  } else if (config.cache.store === "database") {
    store = new DatabaseCacheStore({ db: view<CacheTables>(db), prefix: `${config.cache.prefix}:` });
  }
  const users = new SqlUserDirectory(view<DirectoryTables>(db));
  const repository = new RbacRepository(view<RbacTables>(db));
  const rbac = new RbacService({
    repository,
    users,
    cacheEnabled: config.rbac.cacheEnabled,
    ttlSeconds: config.rbac.cacheTtlSeconds,
    ...(store === undefined ? {} : { store }),
  });
  return {
    config,
    rbac,
    repository,
    users,
    cacheDriver: store?.driver,
    async close() {
      rbac.close();
      redis?.disconnect();
      await db.destroy();
    },
  };
}

/**
 * Runs a command body with an open RBAC context, always closing it. A malformed
 * name is a usage error (exit 2); unknown roles, permissions and users exit 1
 * with the message that lists what exists.
 */
export async function withRbac(
  ctx: CliContext,
  body: (rbac: RbacCommandContext) => Promise<number>,
): Promise<number> {
  const opened = await openRbacCommandContext(ctx);
  try {
    return await body(opened);
  } catch (error) {
    if (isMargError(error) && error.code === "E_RBAC_INVALID_NAME") {
      throw new MargError("E_CLI_USAGE", error.message, { status: 400, cause: error });
    }
    throw error;
  } finally {
    await opened.close();
  }
}

/** After a change: say so when the servers' caches could not be told (they catch up once the store is back). */
export function warnIfCacheMissed(rbac: RbacCommandContext, warn: (text: string) => void): void {
  if (!rbac.rbac.degraded) return;
  warn(
    `the ${rbac.cacheDriver ?? "cache"} store could not be reached, so servers may keep answering from their cache ` +
      "until it is back (they re-read after an outage they saw) or RBAC_CACHE_TTL passes; " +
      "run `marg rbac:warm --invalidate` once it is reachable to be sure.",
  );
}
