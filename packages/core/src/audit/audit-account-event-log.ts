import type { AccountEvent, AccountEventLog } from "../auth/account-events.js";
import type { AuditEntry } from "./audit-log.js";

/** Account events are `account.<type>` in the trail, so `account.` lists them all beside admin's actions. */
export const ACCOUNT_ACTION_PREFIX = "account.";

/** The audit row of one account event: the account is the subject, app and detail go in `after`. */
export function accountAuditEntry(event: AccountEvent): AuditEntry {
  const after = { ...(event.app ? { app: event.app } : {}), ...(event.detail ?? {}) };
  return {
    // Undefined actor: the account's owner did it (signed in, set up 2FA); null: the operator's CLI.
    actorUserId: event.actorId === undefined ? event.userId : event.actorId,
    action: `${ACCOUNT_ACTION_PREFIX}${event.type}`,
    subjectType: "user",
    // A failed sign-in for an address with no account has no subject; the address is not kept.
    subjectId: event.userId ?? "",
    ...(Object.keys(after).length > 0 ? { after } : {}),
    ip: event.ip ?? null,
  };
}

/** What it writes through: an `AuditLog` (of any database that holds `audit_log`). */
export interface AuditWriter {
  record(entry: AuditEntry): Promise<void>;
}

/** Where a failed write is said (the platform's logger). */
export interface AuditFailureLogger {
  error(fields: object, message: string): void;
}

/**
 * The account event log every app records through (`platform.accountEvents`): one
 * `audit_log` row per event. A failed write is logged and swallowed, so an audit
 * outage never turns a sign-in into a 500; the log line still names the event.
 */
export function auditAccountEventLog(audit: AuditWriter, logger: AuditFailureLogger): AccountEventLog {
  return {
    async record(event) {
      try {
        await audit.record(accountAuditEntry(event));
      } catch (error) {
        logger.error(
          { err: error, accountEvent: event },
          `account event ${event.type} not written to the audit log`,
        );
      }
    },
  };
}
