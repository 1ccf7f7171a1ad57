// The RBAC and cache API the rbac:* commands use.
export {
  AccessChangePolicy,
  type AccessPolicyTables,
  type CacheStore,
  type CacheTables,
  DatabaseCacheStore,
  type DirectoryTables,
  RbacRepository,
  RbacService,
  type RbacTables,
  RedisCacheStore,
  SqlUserDirectory,
  SUPER_ADMIN_ROLE,
  type UserDirectory,
  warmRbacCache,
} from "@marg/core";
