/** RBAC: roles, permissions, cached checks, route guards, the warm-up job and the default seed. */
export {
  ACCESS_REFUSAL_CODES,
  type AccessChange,
  AccessChangePolicy,
  type AccessPolicyTables,
  type AccountAction,
  type Holder as AccessHolder,
  holdsPermission,
  type ScopedPermission,
} from "./access-change-policy.js";
export { hasActiveSuperAdmin } from "./active-super-admins.js";
export { createRbacService, type RbacServiceDeps } from "./create-rbac-service.js";
export { AUTH_REQUIRED_ERROR, RBAC_ERRORS } from "./errors.js";
export {
  parseAppName,
  parseCheckedPermission,
  parsePermissionName,
  parseRoleName,
  SUPER_ADMIN_ROLE,
} from "./names.js";
export { permissionCovers, permissionPatternCovers } from "./permission-pattern.js";
export { type RbacDenial, RbacDeniedError } from "./rbac-denial.js";
export { createRbacGuards, type RbacGuardOptions, type RbacGuards } from "./rbac-guards.js";
export { rbacMigrations } from "./rbac-migrations.js";
export {
  type PermissionRecord,
  type PermissionSummary,
  RbacRepository,
  type RoleRecord,
  type RoleSummary,
} from "./rbac-repository.js";
export type { RbacTables } from "./rbac-schema.js";
export {
  assignDemoRoles,
  DEFAULT_PERMISSIONS,
  DEFAULT_ROLES,
  rbacDefaultsSeeder,
  type SeedSummary,
  seedRbacDefaults,
} from "./rbac-seed.js";
export { type RbacExplanation, RbacService, type RbacServiceOptions } from "./rbac-service.js";
export { RBAC_VERSION_KEY } from "./rbac-version.js";
export {
  createRbacWarmJob,
  parseWarmPayload,
  RBAC_WARM_JOB,
  type RbacWarmDeps,
  type RbacWarmPayload,
  type RbacWarmResult,
  rbacWarmPayloadSchema,
  warmRbacCache,
} from "./rbac-warm-job.js";
export { type DirectoryTables, SqlUserDirectory } from "./sql-user-directory.js";
export type {
  EffectivePermissions,
  PermissionGrant,
  RbacChange,
  RbacDecision,
  RbacLogger,
  UserDirectory,
} from "./types.js";
export { describeDecision, UserPermissions } from "./user-permissions.js";
