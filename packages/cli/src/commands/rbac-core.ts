// The RBAC and cache API the rbac:* commands use. Until packages/core/src/index.ts
// exports rbac/ and cache/, this reaches them by path; then this file becomes
// `export { … } from "@marg/core";` and nothing else changes.
export {
  type CacheStore,
  type CacheTables,
  DatabaseCacheStore,
  RedisCacheStore,
} from "../../../core/src/cache/index.js";
export {
  type DirectoryTables,
  RbacRepository,
  RbacService,
  type RbacTables,
  SqlUserDirectory,
  type UserDirectory,
  warmRbacCache,
} from "../../../core/src/rbac/index.js";
