import { createHash, randomBytes } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { MargError } from "../errors/marg-error.js";
import type { AccountInvitationPurpose, AccountInvitationsTable, AuthDatabase } from "./auth-schema.js";
import { parseEmail, parseName } from "./email.js";
import { assertPasswordAcceptable } from "./password-policy.js";
import type { Clock, User } from "./types.js";
import type { UserRepository } from "./user-repository.js";

/** A sign-up link works for a day: the visitor is waiting for it. */
export const SIGNUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/** An invitation works for a week: the invitee may not read mail today. */
export const INVITE_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const TOKEN_BYTES = 32;
const TOKEN_MAX_LENGTH = 128;

/** An open (or just used) invitation, as pages and the admin app see it; never the token. */
export interface AccountInvitation {
  readonly id: number;
  readonly email: string;
  readonly purpose: AccountInvitationPurpose;
  /** Roles an invite grants; empty for a sign-up (REGISTRATION_ROLE decides at acceptance). */
  readonly roles: readonly string[];
  readonly invitedBy: number | null;
  readonly expiresAt: number;
}

export interface IssuedInvitation {
  readonly invitation: AccountInvitation;
  /** The secret for the link; mail it, never log or store it. */
  readonly token: string;
}

/**
 * Single-use, expiring links that let the owner of an address create their account:
 * a visitor's sign-up (the account exists only once the mailed link is used, so an
 * unverified address never holds a role) or an administrator's invitation with
 * chosen roles. Only the SHA-256 of a token is stored.
 *
 * @example
 * const { token } = await invitations.issue({ email, purpose: "invite", roles: ["viewer"], invitedBy: admin.id });
 * await mail(email, `${appUrl}/join?token=${token}`);
 * // later, from the link's form:
 * const { user, invitation } = await invitations.accept(token, { name, password });
 */
export class AccountInvitationService {
  readonly #db: Kysely<AuthDatabase>;
  readonly #users: UserRepository;
  readonly #now: Clock;

  constructor(deps: { db: Kysely<AuthDatabase>; users: UserRepository; clock?: Clock }) {
    this.#db = deps.db;
    this.#users = deps.users;
    this.#now = deps.clock ?? Date.now;
  }

  /** Stores a new link for `email`; E_AUTH_EMAIL_INVALID for a malformed address. */
  async issue(input: {
    email: string;
    purpose: AccountInvitationPurpose;
    roles?: readonly string[];
    invitedBy?: number;
    ttlMs?: number;
  }): Promise<IssuedInvitation> {
    const { email, normalized } = parseEmail(input.email);
    const token = randomBytes(TOKEN_BYTES).toString("base64url");
    const now = this.#now();
    const ttl = input.ttlMs ?? (input.purpose === "invite" ? INVITE_LINK_TTL_MS : SIGNUP_LINK_TTL_MS);
    const roles = input.purpose === "invite" ? [...(input.roles ?? [])] : [];
    const result = await this.#db
      .insertInto("account_invitations")
      .values({
        email,
        email_normalized: normalized,
        purpose: input.purpose,
        roles: input.purpose === "invite" ? JSON.stringify(roles) : null,
        invited_by: input.invitedBy ?? null,
        token_hash: hashToken(token),
        expires_at: now + ttl,
        used_at: null,
        user_id: null,
        created_at: now,
      })
      .executeTakeFirstOrThrow();
    return {
      token,
      invitation: {
        id: Number(result.insertId),
        email,
        purpose: input.purpose,
        roles,
        invitedBy: input.invitedBy ?? null,
        expiresAt: now + ttl,
      },
    };
  }

  /** The open invitation a token belongs to; null when unknown, used or expired. */
  async find(token: unknown): Promise<AccountInvitation | null> {
    const tokenHash = tokenHashOf(token);
    if (tokenHash === null) return null;
    const row = await this.#db
      .selectFrom("account_invitations")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .where("expires_at", ">", this.#now())
      .executeTakeFirst();
    return row === undefined ? null : toInvitation(row);
  }

  /**
   * Creates the account of an open invitation with the name and password its owner
   * chose, and spends the link. E_AUTH_INVITATION_INVALID for an unknown, used or
   * expired token; E_AUTH_NAME_INVALID / E_AUTH_PASSWORD_WEAK (the link stays usable)
   * for a form to show; E_AUTH_EMAIL_TAKEN when the address got an account meanwhile.
   * Roles are the caller's to assign (RBAC lives above auth).
   */
  async accept(
    token: unknown,
    form: { name: unknown; password: unknown },
  ): Promise<{ user: User; invitation: AccountInvitation }> {
    const invitation = await this.find(token);
    const tokenHash = tokenHashOf(token);
    if (invitation === null || tokenHash === null) throw invitationInvalid();
    const name = parseName(form.name);
    const password = assertPasswordAcceptable(form.password, { email: invitation.email });
    const now = this.#now();
    // The conditional update is the single-use guarantee: of two requests racing with
    // one link, only one changes the row and goes on to create the account.
    const spent = await this.#db
      .updateTable("account_invitations")
      .set({ used_at: now })
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw invitationInvalid();
    const user = await this.#users.create({ email: invitation.email, name, password });
    await this.#db
      .updateTable("account_invitations")
      .set({ user_id: user.id })
      .where("id", "=", invitation.id)
      .execute();
    return { user, invitation };
  }

  /** Deletes links that expired or were used over a day ago; for the sweep job. */
  async prune(): Promise<number> {
    const dayAgo = this.#now() - 24 * 60 * 60 * 1000;
    const result = await this.#db
      .deleteFrom("account_invitations")
      .where((eb) => eb.or([eb("expires_at", "<", dayAgo), eb("used_at", "<", dayAgo)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function tokenHashOf(token: unknown): string | null {
  return typeof token === "string" && token !== "" && token.length <= TOKEN_MAX_LENGTH
    ? hashToken(token)
    : null;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function toInvitation(row: Selectable<AccountInvitationsTable>): AccountInvitation {
  return Object.freeze({
    id: Number(row.id),
    email: row.email,
    purpose: row.purpose === "invite" ? "invite" : "signup",
    roles: parseRoles(row.roles),
    invitedBy: row.invited_by === null ? null : Number(row.invited_by),
    expiresAt: Number(row.expires_at),
  });
}

function parseRoles(text: string | null): string[] {
  if (text === null) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.filter((role): role is string => typeof role === "string") : [];
}

/** The answer to every link that cannot be used, whatever the reason. */
export function invitationInvalid(): MargError {
  return new MargError(
    "E_AUTH_INVITATION_INVALID",
    "This account link is invalid, already used or expired. Ask for a new one (sign up again, or ask the administrator who invited you).",
    { status: 400 },
  );
}
