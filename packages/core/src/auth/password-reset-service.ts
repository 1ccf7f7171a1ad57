import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { MargError } from "../errors/marg-error.js";
import type { AuthDatabase } from "./auth-schema.js";
import type { PasswordHasher } from "./password-hasher.js";
import { assertPasswordAcceptable } from "./password-policy.js";
import type { Clock, User } from "./types.js";
import type { UserRepository } from "./user-repository.js";

/** How long a reset link works: long enough to reach the inbox, short enough to leak little. */
export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
const TOKEN_BYTES = 32;
/** A base64url token of 32 bytes is 43 characters; anything much longer is not ours. */
const TOKEN_MAX_LENGTH = 128;

export interface PasswordResetRequest {
  readonly user: User;
  /** The secret for the link; mail it, never log or store it. */
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Single-use, expiring password-reset links. Only the SHA-256 of a token is stored,
 * so reading the table (a backup, a replica) gives no working link.
 *
 * @example
 * const issued = await resets.request(form.email);
 * if (issued) await mail.sendResetLink(issued.user, issued.token);
 * reply.view("check-your-inbox"); // the same page whether or not the email is known
 */
export class PasswordResetService {
  readonly #db: Kysely<AuthDatabase>;
  readonly #users: UserRepository;
  readonly #hasher: PasswordHasher;
  readonly #now: Clock;
  readonly #ttlMs: number;

  constructor(deps: {
    db: Kysely<AuthDatabase>;
    users: UserRepository;
    hasher: PasswordHasher;
    clock?: Clock;
    ttlMs?: number;
  }) {
    this.#db = deps.db;
    this.#users = deps.users;
    this.#hasher = deps.hasher;
    this.#now = deps.clock ?? Date.now;
    this.#ttlMs = deps.ttlMs ?? RESET_TOKEN_TTL_MS;
  }

  /**
   * Issues a link for the account with this email. Null for an unknown or disabled
   * account: the caller answers exactly the same either way, so the form cannot be
   * used to find out who has an account.
   */
  async request(email: unknown): Promise<PasswordResetRequest | null> {
    if (typeof email !== "string") return null;
    const user = await this.#users.findByEmail(email);
    if (!user || user.disabledAt !== null) return null;
    const token = randomBytes(TOKEN_BYTES).toString("base64url");
    const now = this.#now();
    const expiresAt = now + this.#ttlMs;
    await this.#db
      .insertInto("password_resets")
      .values({
        user_id: user.id,
        token_hash: hashToken(token),
        expires_at: expiresAt,
        used_at: null,
        created_at: now,
      })
      .execute();
    return { user, token, expiresAt };
  }

  /**
   * Sets a new password with a link's token and spends the token and every other open
   * link of the user. Returns the user id so the caller can end all their sessions.
   * Throws E_AUTH_RESET_INVALID for an unknown, used or expired token and
   * E_AUTH_PASSWORD_WEAK (the token stays usable) for a password the policy refuses.
   */
  async reset(token: unknown, newPassword: unknown): Promise<{ userId: number }> {
    const tokenHash = typeof token === "string" && token.length <= TOKEN_MAX_LENGTH ? hashToken(token) : null;
    const link = tokenHash === null ? undefined : await this.#findOpen(tokenHash);
    const user = link ? await this.#users.findById(Number(link.user_id)) : null;
    if (!tokenHash || !user || user.disabledAt !== null) throw resetInvalid();

    const password = assertPasswordAcceptable(newPassword, { email: user.email });
    const passwordHash = await this.#hasher.hash(password);

    await this.#db.transaction().execute(async (trx) => {
      const now = this.#now();
      // The conditional update is the single-use guarantee: of two requests racing
      // with one token, only one changes the row.
      const spent = await trx
        .updateTable("password_resets")
        .set({ used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) throw resetInvalid();
      await this.#users.withDb(trx).storePasswordHash(user.id, passwordHash, { changed: true });
      await trx
        .updateTable("password_resets")
        .set({ used_at: now })
        .where("user_id", "=", user.id)
        .where("used_at", "is", null)
        .execute();
    });
    return { userId: user.id };
  }

  /** Deletes links that expired or were used over a day ago; for a scheduled job. */
  async prune(): Promise<number> {
    const dayAgo = this.#now() - 24 * 60 * 60 * 1000;
    const result = await this.#db
      .deleteFrom("password_resets")
      .where((eb) => eb.or([eb("expires_at", "<", dayAgo), eb("used_at", "<", dayAgo)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  #findOpen(tokenHash: string) {
    return this.#db
      .selectFrom("password_resets")
      .select(["user_id"])
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .where("expires_at", ">", this.#now())
      .executeTakeFirst();
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function resetInvalid(): MargError {
  return new MargError(
    "E_AUTH_RESET_INVALID",
    "This password-reset link is invalid, already used or expired. Request a new link from the sign-in page.",
    { status: 400 },
  );
}
