import { auditMigrations } from "../audit/audit-migrations.js";
import { authMigrations } from "../auth/auth-migrations.js";
import { cacheMigrations } from "../cache/cache-migrations.js";
import type { MigrationSet } from "../db/migration-types.js";
import { mailMigrations } from "../mail/mail-migrations.js";
import { maintenanceMigrations } from "../maintenance/maintenance-migrations.js";
import { oidcMigrations } from "../oidc/oidc-migrations.js";
import { queueMigrations } from "../queue/queue-migrations.js";
import { rbacMigrations } from "../rbac/rbac-migrations.js";
import { sessionMigrations } from "../session/stores/session-migrations.js";

/**
 * The migrations core contributes (users, sessions, cache, jobs, RBAC tables,
 * maintenance, sent mail, the audit log, OIDC clients), each a set for the connection it lives on. Each
 * capability declares its own set; they are listed here, above them, so the
 * database layer knows none of them. `marg migrate` runs these before any app's.
 * Each is imported from its migrations file, not its capability's index, so
 * migrating never loads a capability's runtime.
 */
export const coreMigrations: readonly MigrationSet[] = [
  authMigrations,
  sessionMigrations,
  cacheMigrations,
  rbacMigrations,
  queueMigrations,
  maintenanceMigrations,
  mailMigrations,
  auditMigrations,
  oidcMigrations,
];
