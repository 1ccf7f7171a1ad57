import type { MigrationSet } from "./migration-types.js";

/**
 * Migrations core itself contributes (sessions, cache, jobs, RBAC tables), each a
 * set for the connection it lives on. `marg migrate` runs these before any app's.
 */
export const platformMigrations: MigrationSet[] = [];
