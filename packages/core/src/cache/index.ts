/** The cache capability: one contract, three drivers (redis, database, memory). */

export { type SqlDialectName, sqlDialectOf } from "../db/sql-dialect.js";
export { type CacheTable, type CacheTables, cacheMigrations } from "./cache-migrations.js";
export { type CacheStoreDeps, createCacheStore } from "./create-cache-store.js";
export { DatabaseCacheStore, type DatabaseCacheStoreOptions } from "./database-cache-store.js";
export { CACHE_ERRORS, cacheUnavailable, isCacheUnavailable } from "./errors.js";
export { MemoryCacheStore } from "./memory-cache-store.js";
export { MemoryLru } from "./memory-lru.js";
export { RedisCacheStore, type RedisCacheStoreOptions } from "./redis-cache-store.js";
export type { CacheSetOptions, CacheStore, CacheValue } from "./types.js";
