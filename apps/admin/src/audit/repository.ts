import { AuditLog as CoreAuditLog } from "@marg/core/audit";
import type { AdminDatabase } from "../database.js";

export type { AuditEntry, AuditPage, AuditQuery, AuditRecord } from "@marg/core/audit";

/**
 * Core's audit log over admin's database, so `change()` hands admin's services a
 * transaction that sees users, roles and permissions too. The table and its writer
 * are core's: account events from every app land in the same trail.
 */
export class AuditLog extends CoreAuditLog<AdminDatabase> {}
