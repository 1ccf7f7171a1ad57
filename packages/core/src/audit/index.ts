/**
 * Audit: one trail in marg-rbac (`audit_log`) of admin actions and account events.
 * Admin writes its changes with `AuditLog.change()`; every app records account
 * events through `platform.accountEvents`, which `auditAccountEventLog` writes here.
 */

export { ACCOUNT_ACTION_PREFIX, accountAuditEntry, auditAccountEventLog } from "./audit-account-event-log.js";
export {
  type AuditEntry,
  AuditLog,
  type AuditPage,
  type AuditQuery,
  type AuditRecord,
} from "./audit-log.js";
export { auditMigrations } from "./audit-migrations.js";
export type { AuditDatabase, AuditLogTable, AuditTables } from "./audit-schema.js";
