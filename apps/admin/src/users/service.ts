import { randomBytes } from "node:crypto";
import {
  type AccountEventLog,
  type PasswordResetService,
  resetSecondFactors,
  type SecondFactorReset,
  type SecondFactorServices,
  type User,
  type UserRepository,
} from "@marg/core/auth";
import { MargError } from "@marg/core/errors";
import type { MailMessage } from "@marg/core/mail";
import type { SessionsEndedEvent } from "@marg/core/platform";
import { RbacRepository } from "@marg/core/rbac";
import {
  type SessionDevice,
  type SessionDevices,
  type SessionDirectory,
  sessionNotFound,
} from "@marg/core/session";
import type { Transaction } from "kysely";
import type { AccessChangeGate } from "../access/service.js";
import type { Actor } from "../audit/actor.js";
import type { AuditEntry, AuditLog } from "../audit/repository.js";
import { type AdminDatabase, asAuthDb, asRbacDb } from "../database.js";
import { unknownRole } from "../roles/lookups.js";
import { resetLinkMail } from "./reset-mail.js";
import type { CreateUserInput } from "./schemas.js";
import { userSnapshot } from "./snapshot.js";

export interface UserAdminDeps {
  readonly users: UserRepository;
  readonly audit: AuditLog;
  /** Core's access-change policy, with refusals audited: who may touch which account, and hand out which role. */
  readonly gate: AccessChangeGate;
  readonly sessions: SessionDirectory;
  /** Personal API tokens (`platform.accounts.tokens`): a disabled account's stop at once. */
  readonly tokens: { revokeAllFor(userId: number): Promise<number> };
  /** The user's sessions with where they were signed in, to end one. */
  readonly devices: SessionDevices;
  /** Tells the apps sessions ended (`session.ended`, core's `announceSessionsEnded`); never throws. */
  readonly sessionsEnded: (event: SessionsEndedEvent) => Promise<void>;
  /** Account events (a session ended, two-factor reset by someone else). */
  readonly events: AccountEventLog;
  /** Two-factor and passkeys (`platform.accounts`): what a two-factor reset removes. */
  readonly secondFactors: SecondFactorServices;
  readonly resets: PasswordResetService;
  /** Sends a mail; the app queues it (`mail.send`), so a slow mail server never slows the page. */
  readonly sendMail: (message: MailMessage) => Promise<void>;
  /** The origin reset links point at (see resetLinkBase). */
  readonly resetLinkBase: string;
}

function selfLockout(what: string): MargError {
  return new MargError(
    "E_ADMIN_SELF_LOCKOUT",
    `You cannot ${what} your own account: ask another administrator to do it.`,
    { status: 409 },
  );
}

/**
 * What administrators do to accounts: create, disable (ending every session at
 * once), enable, send a reset link. Each change and its audit row are one transaction.
 */
export class UserAdminService {
  readonly #deps: UserAdminDeps;

  constructor(deps: UserAdminDeps) {
    this.#deps = deps;
  }

  /** Creates an account (with an initial role if given); mails a reset link when asked or when no password was given. */
  async create(actor: Actor, input: CreateUserInput): Promise<{ user: User; mailed: boolean }> {
    const { users, audit, gate } = this.#deps;
    // Without a password the account gets a random one nobody knows; the reset link sets the real one.
    const password = input.password ?? randomBytes(32).toString("base64url");
    const run = async (trx: Transaction<AdminDatabase>): Promise<{ result: User; audit: AuditEntry }> => {
      const created = await users
        .withDb(asAuthDb(trx))
        .create({ name: input.name, email: input.email, password });
      if (input.role !== undefined) {
        const repo = new RbacRepository(asRbacDb(trx));
        const role = await repo.findRole(input.role);
        if (role === undefined) throw await unknownRole(repo, input.role, "role");
        await repo.link({ table: "user_roles", user_id: created.id, role_id: role.id });
      }
      const after = { ...userSnapshot(created), roles: input.role === undefined ? [] : [input.role] };
      return {
        result: created,
        audit: {
          ...auditOf(actor),
          action: "user.create",
          subjectType: "user",
          subjectId: created.id,
          after,
        },
      };
    };
    // A first role is an assignment like any other: only what the creator could assign.
    const user =
      input.role === undefined
        ? await audit.change(run)
        : await gate.change(actor, { kind: "assign-role", role: input.role }, run);
    const mailed = input.sendResetLink || input.password === undefined;
    if (mailed) await this.#mailLink(user, true);
    return { user, mailed };
  }

  /** Refuses sign-in from now on, ends every session of the user on every app and revokes their API tokens. */
  async disable(actor: Actor, id: number): Promise<{ user: User; sessionsEnded: number }> {
    const { users, gate, sessions, tokens } = this.#deps;
    const user = await gate.change(actor, { kind: "account", action: "disable", userId: id }, async (trx) => {
      // After the policy, so the last super-admin disabling themselves hears that reason.
      if (id === actor.userId) throw selfLockout("disable");
      const before = await this.#find(users.withDb(asAuthDb(trx)), id);
      if (before.disabledAt !== null) return { result: before, audit: null };
      const after = await users.withDb(asAuthDb(trx)).disable(id);
      return {
        result: after,
        audit: this.#userAudit(actor, "user.disable", before, after),
      };
    });
    // After the commit: from here no sign-in succeeds, so no new session can outlive this call.
    const sessionsEnded = await sessions.destroyAllForUser(String(id));
    await this.#deps.sessionsEnded({ userId: id, handles: null, reason: "user-disabled" });
    await tokens.revokeAllFor(id);
    return { user, sessionsEnded };
  }

  /**
   * Ends one session of the user (by the handle the user's page listed) on every app
   * at once, under the same policy as disabling them; audited, and recorded as the
   * account event `session.ended` with the admin as actor.
   */
  async endSession(actor: Actor, id: number, handle: string): Promise<SessionDevice> {
    const { gate, devices, audit, events } = this.#deps;
    await gate.assert(actor, { kind: "account", action: "end-session", userId: id });
    const ended = await devices.end(String(id), handle);
    if (ended === null) throw sessionNotFound();
    await this.#deps.sessionsEnded({
      userId: id,
      handles: [handle],
      reason: actor.userId === id ? "ended-by-user" : "ended-by-admin",
    });
    const session = { app: ended.app, browser: ended.browser, os: ended.os, ip: ended.ip };
    await audit.record({
      ...auditOf(actor),
      action: "user.session-end",
      subjectType: "user",
      subjectId: id,
      before: session,
    });
    await events.record({
      type: "session.ended",
      userId: id,
      ...(actor.userId === id ? {} : { actorId: actor.userId }),
      ip: actor.ip,
      app: "admin",
      detail: { sessionApp: ended.app },
    });
    return ended;
  }

  /**
   * Turns off every second factor of the user (a lost phone): the authenticator app's
   * secret, the recovery codes and the passkeys, so the password alone signs in and the
   * person sets up anew. Under the policy of disabling them (only a super-admin resets a
   * super-admin); never one's own account (the account page turns one's own off, with
   * the password). Audited as `user.two-factor-reset`, and recorded as the account
   * event `two-factor.disabled` with the admin as actor.
   */
  async resetTwoFactor(actor: Actor, id: number): Promise<{ user: User; reset: SecondFactorReset }> {
    const { gate, audit, events, users, secondFactors } = this.#deps;
    await gate.assert(actor, { kind: "account", action: "reset-two-factor", userId: id });
    if (id === actor.userId) {
      throw new MargError(
        "E_ADMIN_SELF_LOCKOUT",
        "You cannot reset your own two-factor sign-in here: turn it off on your account page (it asks for your password), or ask another administrator.",
        { status: 409 },
      );
    }
    const user = await this.#find(users, id);
    const reset = await resetSecondFactors(secondFactors, id);
    const changed = reset.totpRemoved || reset.passkeysRemoved > 0 || reset.recoveryCodesRemoved > 0;
    if (changed) {
      await audit.record({
        ...auditOf(actor),
        action: "user.two-factor-reset",
        subjectType: "user",
        subjectId: id,
        before: {
          authenticatorApp: reset.totpRemoved,
          recoveryCodes: reset.recoveryCodesRemoved,
          passkeys: reset.passkeysRemoved,
        },
      });
      await events.record({
        type: "two-factor.disabled",
        userId: id,
        actorId: actor.userId,
        ip: actor.ip,
        app: "admin",
        detail: { by: "admin", passkeysRemoved: reset.passkeysRemoved },
      });
    }
    return { user, reset };
  }

  async enable(actor: Actor, id: number): Promise<User> {
    const { users, gate } = this.#deps;
    return gate.change(actor, { kind: "account", action: "enable", userId: id }, async (trx) => {
      const before = await this.#find(users.withDb(asAuthDb(trx)), id);
      if (before.disabledAt === null) return { result: before, audit: null };
      const after = await users.withDb(asAuthDb(trx)).enable(id);
      return { result: after, audit: this.#userAudit(actor, "user.enable", before, after) };
    });
  }

  /** Mails the user a single-use reset link (their password stays until they use it). */
  async sendPasswordReset(actor: Actor, id: number): Promise<User> {
    await this.#deps.gate.assert(actor, { kind: "account", action: "password", userId: id });
    const user = await this.#find(this.#deps.users, id);
    if (user.disabledAt !== null) {
      throw new MargError(
        "E_AUTH_DISABLED",
        "This account is disabled: enable it first, then send the reset link.",
        { status: 409 },
      );
    }
    const expiresAt = await this.#mailLink(user, false);
    await this.#deps.audit.record({
      ...auditOf(actor),
      action: "user.password-reset-mail",
      subjectType: "user",
      subjectId: user.id,
      after: { email: user.email, linkExpiresAt: expiresAt },
    });
    return user;
  }

  async #mailLink(user: User, welcome: boolean): Promise<number> {
    const issued = await this.#deps.resets.request(user.email);
    if (issued === null) throw new Error("a reset link was refused for an active account");
    const link = `${this.#deps.resetLinkBase}/reset-password?token=${encodeURIComponent(issued.token)}`;
    // The token travels only inside the mail (and its queued job), never in a log line or the audit log.
    await this.#deps.sendMail(resetLinkMail({ to: user.email, name: user.name, link, welcome }));
    return issued.expiresAt;
  }

  async #find(users: UserRepository, id: number): Promise<User> {
    const user = await users.findById(id);
    if (user === null) {
      throw new MargError(
        "E_AUTH_USER_NOT_FOUND",
        `No user has id ${id}; go back to the list and pick one.`,
        {
          status: 404,
        },
      );
    }
    return user;
  }

  #userAudit(actor: Actor, action: string, before: User, after: User) {
    return {
      ...auditOf(actor),
      action,
      subjectType: "user",
      subjectId: after.id,
      before: userSnapshot(before),
      after: userSnapshot(after),
    };
  }
}

function auditOf(actor: Actor): { actorUserId: number; ip: string | null } {
  return { actorUserId: actor.userId, ip: actor.ip };
}
