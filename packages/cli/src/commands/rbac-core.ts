// The RBAC and cache API the rbac:* commands use (and token:*, which live beside RBAC).

export { type AuditDatabase, AuditLog, auditAccountEventLog } from "@marg/core/audit";
export type { AccountEventLog, ApiTokenService, AuthDatabase } from "@marg/core/auth";
export { type CacheStore, type CacheTables, DatabaseCacheStore, RedisCacheStore } from "@marg/core/cache";
export { createApiTokenService } from "@marg/core/platform";
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
