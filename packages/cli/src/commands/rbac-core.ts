// The RBAC and cache API the rbac:* commands use.
export {
  type CacheStore,
  type CacheTables,
  DatabaseCacheStore,
  type DirectoryTables,
  RbacRepository,
  RbacService,
  type RbacTables,
  RedisCacheStore,
  SqlUserDirectory,
  type UserDirectory,
  warmRbacCache,
} from "@marg/core";
