import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { MargConfig } from "../config/config-types.js";
import { MargError } from "../errors/marg-error.js";
import type { CacheTables } from "./cache-migrations.js";
import { DatabaseCacheStore } from "./database-cache-store.js";
import { MemoryCacheStore } from "./memory-cache-store.js";
import { RedisCacheStore } from "./redis-cache-store.js";
import type { CacheStore } from "./types.js";

/** What a store is built from: the config, plus the clients the process already holds. */
export interface CacheStoreDeps {
  /** The cache's Redis client (the cache Redis when CACHE_REDIS_HOST is set); needed for `redis`. */
  readonly redis?: Redis;
  /** The `rbac` connection, which holds the `cache` table; needed for `database`. */
  readonly db?: Kysely<CacheTables>;
  readonly redisOperationTimeoutMs?: number;
}

/**
 * Builds the store CACHE_STORE names. Redis keys are
 * `${REDIS_PREFIX}${CACHE_PREFIX}:key`; database and memory keys `${CACHE_PREFIX}:key`.
 *
 * @example
 * const cache = createCacheStore(config, { redis: connections.client, db: databases.connection("rbac") });
 */
export function createCacheStore(
  config: Pick<MargConfig, "cache" | "redis">,
  deps: CacheStoreDeps,
): CacheStore {
  const prefix = `${config.cache.prefix}:`;
  switch (config.cache.store) {
    case "redis":
      if (deps.redis === undefined) throw missing("redis", "a Redis client");
      return new RedisCacheStore({
        client: deps.redis,
        prefix: config.redis.prefix + prefix,
        ...(deps.redisOperationTimeoutMs === undefined
          ? {}
          : { operationTimeoutMs: deps.redisOperationTimeoutMs }),
      });
    case "database":
      if (deps.db === undefined) throw missing("database", "the rbac database connection");
      return new DatabaseCacheStore({ db: deps.db, prefix });
    case "memory":
      return new MemoryCacheStore({ prefix });
  }
}

function missing(store: string, what: string): MargError {
  return new MargError(
    "E_CONFIG_INVALID",
    `CACHE_STORE=${store} needs ${what}; pass it to createCacheStore (this is a wiring bug, not a setting).`,
  );
}
