import { authMigrations } from "../auth/auth-migrations.js";
import { cacheMigrations } from "../cache/cache-migrations.js";
import { mailMigrations } from "../mail/mail-migrations.js";
import { maintenanceMigrations } from "../maintenance/maintenance-migrations.js";
import { queueMigrations } from "../queue/queue-migrations.js";
import { rbacMigrations } from "../rbac/rbac-migrations.js";
import { sessionMigrations } from "../session/stores/session-migrations.js";
import type { MigrationSet } from "./migration-types.js";

/**
 * Migrations core itself contributes (users, sessions, cache, jobs, RBAC tables),
 * each a set for the connection it lives on. `marg migrate` runs these before any
 * app's. Each is imported from its migrations file, not its capability's index, so
 * the database layer never loads a capability's runtime.
 */
export const platformMigrations: MigrationSet[] = [
  authMigrations,
  sessionMigrations,
  cacheMigrations,
  rbacMigrations,
  queueMigrations,
  maintenanceMigrations,
  mailMigrations,
];
