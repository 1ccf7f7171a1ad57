import type { AuditTables } from "@marg/core/audit";
import type { AuthDatabase } from "@marg/core/auth";
import type { OidcDatabase } from "@marg/core/oidc";
import type { RbacTables } from "@marg/core/rbac";
import type { Kysely } from "kysely";

/**
 * Admin's view of marg-rbac (its `app` and `rbac` connection): core's users and
 * RBAC tables plus the audit log and the OIDC clients, so one transaction can change a user or a role
 * and write the audit row for it.
 */
export type AdminDatabase = AuthDatabase & RbacTables & AuditTables & OidcDatabase;

/**
 * The same connection (or transaction) typed for core's services, which know only
 * their own tables. Kysely's types are invariant in the table map, so a wider map
 * needs this one cast; every table named is in the same database, so it is sound.
 */
export function asAuthDb(db: Kysely<AdminDatabase>): Kysely<AuthDatabase> {
  return db as unknown as Kysely<AuthDatabase>;
}

export function asRbacDb(db: Kysely<AdminDatabase>): Kysely<RbacTables> {
  return db as unknown as Kysely<RbacTables>;
}
