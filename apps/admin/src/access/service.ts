import { isMargError, type MargError } from "@marg/core/errors";
import {
  ACCESS_REFUSAL_CODES,
  type AccessChange,
  AccessChangePolicy,
  type AccessPolicyTables,
} from "@marg/core/rbac";
import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../audit/actor.js";
import type { AuditEntry, AuditLog } from "../audit/repository.js";
import type { AdminDatabase } from "../database.js";

type Run<T> = (trx: Transaction<AdminDatabase>) => Promise<{ result: T; audit: AuditEntry | null }>;

/** The audit action of a refused access change; `after` says who tried what and why it was refused. */
export const ACCESS_REFUSED_ACTION = "access.refused";

/** True for a refusal of core's access-change policy (403/409), as opposed to a bad input or a failure. */
// A plain boolean, not a type guard: "not a refusal" must not narrow away MargError.
export function isAccessRefusal(error: unknown): boolean {
  return isMargError(error) && ACCESS_REFUSAL_CODES.has(error.code);
}

/**
 * Every change of access in the admin app — roles, grants, and what can be done to
 * an account — goes through here, whichever route (HTML form or /api/v1) asked:
 * core's AccessChangePolicy judges it inside the change's own audited transaction,
 * and a refusal is written to the audit log (after the rollback, so it stays) and
 * thrown on for the route to answer 403/409.
 */
export class AccessChangeGate {
  readonly #audit: AuditLog;

  constructor(audit: AuditLog) {
    this.#audit = audit;
  }

  /** `audit.change(run)`, behind the policy's verdict on `change`. */
  async change<T>(actor: Actor, change: AccessChange, run: Run<T>): Promise<T> {
    try {
      return await this.#audit.change(async (trx) => {
        await new AccessChangePolicy(asPolicyDb(trx)).check(actor.userId, change);
        return run(trx);
      });
    } catch (error) {
      if (isMargError(error) && isAccessRefusal(error))
        await this.#audit.record(refusal(actor, change, error));
      throw error;
    }
  }

  /** The policy's verdict alone, for a change that is not a database write (mailing a reset link). */
  async assert(actor: Actor, change: AccessChange): Promise<void> {
    await this.change(actor, change, async () => ({ result: undefined, audit: null }));
  }
}

function refusal(actor: Actor, change: AccessChange, error: MargError): AuditEntry {
  const onUser = "userId" in change && change.userId !== undefined;
  return {
    actorUserId: actor.userId,
    ip: actor.ip,
    action: ACCESS_REFUSED_ACTION,
    subjectType: onUser ? "user" : "role",
    subjectId: onUser ? change.userId : "role" in change ? change.role : "",
    after: { attempted: change, code: error.code, reason: error.message },
  };
}

function asPolicyDb(db: Kysely<AdminDatabase>): Kysely<AccessPolicyTables> {
  // The same marg-rbac connection: the policy reads RBAC's tables and users.disabled_at.
  return db as unknown as Kysely<AccessPolicyTables>;
}
