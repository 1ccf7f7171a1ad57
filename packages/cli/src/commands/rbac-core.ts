// The RBAC and cache API the rbac:* commands use.
export { type CacheStore, type CacheTables, DatabaseCacheStore, RedisCacheStore } from "@marg/core/cache";
export {
  AccessChangePolicy,
  type AccessPolicyTables,
  type DirectoryTables,
  RbacRepository,
  RbacService,
  type RbacTables,
  SqlUserDirectory,
  SUPER_ADMIN_ROLE,
  type UserDirectory,
  warmRbacCache,
} from "@marg/core/rbac";
