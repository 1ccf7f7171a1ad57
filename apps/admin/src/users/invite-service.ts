import {
  type AccountInvitation,
  AccountInvitationService,
  invitationMail,
  type UserRepository,
} from "@marg/core/auth";
import { isMargError, MargError } from "@marg/core/errors";
import type { MailMessage } from "@marg/core/mail";
import { RbacRepository, type RbacService } from "@marg/core/rbac";
import { type AccessChangeGate, isAccessRefusal } from "../access/service.js";
import type { Actor } from "../audit/actor.js";
import type { AuditLog } from "../audit/repository.js";
import { asAuthDb, asRbacDb } from "../database.js";
import { unknownRole } from "../roles/lookups.js";
import { grantableRoles } from "./invite-roles.js";
import type { InviteUserInput } from "./schemas.js";

export interface UserInviteDeps {
  readonly users: UserRepository;
  readonly rbac: RbacService;
  readonly audit: AuditLog;
  /** Core's access-change policy: an invitation's roles are judged (and refusals audited) like an assignment. */
  readonly gate: AccessChangeGate;
  /** Queues a mail (`mail.send`). */
  readonly sendMail: (message: MailMessage) => Promise<void>;
  /** The origin invitation links point at (see resetLinkBase): every app serves /join. */
  readonly linkBase: string;
}

/**
 * Invitations by email: the invitee gets a single-use link, valid 7 days, to choose
 * their name and password on /join; the account exists (with the chosen roles) only
 * then. Works whether or not REGISTRATION_ENABLED. The invitation and its audit row
 * are one transaction; the token is only in the mail.
 */
export class UserInviteService {
  readonly #deps: UserInviteDeps;

  constructor(deps: UserInviteDeps) {
    this.#deps = deps;
  }

  async invite(actor: Actor, input: InviteUserInput): Promise<AccountInvitation> {
    const { users, audit } = this.#deps;
    // The inviter sees every account in the users list, so saying "taken" here tells them nothing new.
    if ((await users.findByEmail(input.email)) !== null) throw emailTaken();
    // Read before the transaction: RBAC reads go through their own connection (and cache), which
    // on SQLite would wait for the transaction that waits for them.
    await this.#assertGrantable(actor, input.roles);
    const { token, invitation } = await audit.change(async (trx) => {
      const repo = new RbacRepository(asRbacDb(trx));
      for (const name of input.roles) {
        if ((await repo.findRole(name)) === undefined) throw await unknownRole(repo, name, "roles");
      }
      const invitations = new AccountInvitationService({
        db: asAuthDb(trx),
        users: users.withDb(asAuthDb(trx)),
      });
      const issued = await invitations.issue({
        email: input.email,
        purpose: "invite",
        roles: input.roles,
        invitedBy: actor.userId,
      });
      const { email, roles, expiresAt } = issued.invitation;
      return {
        result: issued,
        audit: {
          actorUserId: actor.userId,
          ip: actor.ip,
          action: "user.invite",
          subjectType: "invitation",
          subjectId: issued.invitation.id,
          after: { email, roles, expiresAt },
        },
      };
    });
    const inviter = (await users.findById(actor.userId))?.name ?? "An administrator";
    const link = `${this.#deps.linkBase}/join?token=${encodeURIComponent(token)}`;
    await this.#deps.sendMail(invitationMail(invitation.email, link, inviter));
    return invitation;
  }

  /** The roles this administrator may put on an invitation (see grantableRoles). */
  async grantableRoles(userId: number): Promise<string[]> {
    const { rbac } = this.#deps;
    return grantableRoles(await rbac.permissionsFor(userId), await rbac.listRoles());
  }

  async #assertGrantable(actor: Actor, roles: readonly string[]): Promise<void> {
    const all = await this.#deps.rbac.listRoles();
    for (const role of roles) {
      if (!all.some((known) => known.name === role)) {
        const message = `No role '${role}'; roles are: ${all.map((known) => known.name).join(", ") || "none yet"}.`;
        throw new MargError("E_RBAC_UNKNOWN_ROLE", message, {
          status: 404,
          details: { fields: { roles: message } },
        });
      }
      // The same rule as assigning the role to an existing account: no one grants more than they hold.
      try {
        await this.#deps.gate.assert(actor, { kind: "assign-role", role });
      } catch (error) {
        if (!isAccessRefusal(error) || !isMargError(error)) throw error;
        // The refusal as it is (code, status, audit row), shown beside the roles on the form.
        throw new MargError(error.code, error.message, {
          status: error.status,
          details: { ...error.details, fields: { roles: error.message } },
        });
      }
    }
  }
}

function emailTaken(): MargError {
  const message = "An account already uses this address: open it from the users list instead.";
  return new MargError("E_AUTH_EMAIL_TAKEN", message, {
    status: 409,
    details: { fields: { email: message } },
  });
}
