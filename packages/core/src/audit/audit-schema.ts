import type { Generated } from "kysely";
import type { UsersTable } from "../auth/auth-schema.js";

/**
 * One row of `audit_log` (in marg-rbac): who did what to which subject, when,
 * with the subject's state before and after as JSON. Times are epoch ms.
 */
export interface AuditLogTable {
  id: Generated<number>;
  /** The signed-in user who acted; null for the system (a CLI or a job) or the account's owner signing in. */
  actor_user_id: number | null;
  /** `user.disable`, `role.grant`, `account.sign-in`…: noun.verb, lowercase. */
  action: string;
  /** `user`, `role`, `failed-job`… */
  subject_type: string;
  subject_id: string;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
  created_at: number;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}

/** What the audit log reads and writes: its table, and `users` to name the actor. */
export interface AuditDatabase extends AuditTables {
  users: UsersTable;
}
