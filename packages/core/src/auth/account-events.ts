import type { Logger } from "../logging/create-logger.js";

/** What happened to an account, as the audit log records it (issue 17). */
export type AccountEventType =
  | "sign-in"
  | "sign-in.failed"
  | "sign-out"
  | "two-factor.enabled"
  | "two-factor.disabled"
  | "two-factor.recovery-codes"
  | "passkey.added"
  | "passkey.removed"
  | "token.created"
  | "token.revoked"
  | "session.ended"
  | "user.created"
  | "user.disabled"
  | "user.enabled";

/**
 * One account event. `userId` is the account it happened to (null when a failed
 * sign-in names no account); `actorId` who did it when that is someone else (an admin
 * ending a session) or null for the operator's CLI. Never a password, code or token.
 */
export interface AccountEvent {
  readonly type: AccountEventType;
  readonly userId: number | null;
  readonly actorId?: number | null;
  readonly ip?: string | null;
  /** The app it happened on (flow, links…), when there is one. */
  readonly app?: string | null;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

/** Where account events go; every account feature records through it. */
export interface AccountEventLog {
  record(event: AccountEvent): Promise<void>;
}

/** An event log that writes each event as one log line (until the audit table is wired). */
export function loggingAccountEventLog(logger: Logger): AccountEventLog {
  return {
    async record(event) {
      logger.info({ accountEvent: event }, `account event ${event.type}`);
    },
  };
}
