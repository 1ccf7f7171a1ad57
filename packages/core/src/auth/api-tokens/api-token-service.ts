import type { Kysely, Selectable } from "kysely";
import { MargError } from "../../errors/marg-error.js";
import type { AuthDatabase } from "../auth-schema.js";
import { AUTH_ERRORS, type AuthErrorCode } from "../errors.js";
import type { Clock } from "../types.js";
import type { ApiTokenCache } from "./api-token-cache.js";
import { hashApiToken, isWellFormedApiToken, newApiToken } from "./api-token-format.js";
import type { PersonalAccessTokensTable } from "./api-token-tables.js";
import type { ApiToken, AuthenticatedApiToken } from "./api-token-types.js";

export type { ApiToken } from "./api-token-types.js";

export interface NewApiToken {
  readonly name: string;
  readonly permissions: readonly string[];
  readonly apps?: readonly string[] | null;
  /** Epoch ms; null or absent: never. */
  readonly expiresAt?: number | null;
}

/** Which of `wanted` (names or patterns) the user does not hold, from RBAC. */
export type UncoveredPermissions = (userId: number, wanted: readonly string[]) => Promise<readonly string[]>;

const NAME_MAX = 100;
const PERMISSIONS_MAX = 50;
const PERMISSION_SHAPE = /^(\*|[a-z0-9][a-z0-9_-]*)(\.(\*|[a-z0-9][a-z0-9_-]*))*$/;
const APP_SHAPE = /^[a-z][a-z0-9-]{0,39}$/;
/** last_used_at is written at most once a minute per token: a busy script is not a write per call. */
const TOUCH_INTERVAL_MS = 60_000;

const refused = (code: AuthErrorCode, message: string) =>
  new MargError(code, message, { status: AUTH_ERRORS[code].status });

/**
 * Personal API tokens for `/api/v1`: created by their holder (or an operator), shown
 * once, stored as SHA-256, limited to part of the holder's permissions and maybe to
 * some apps, with an optional expiry; revoked one by one or all at once (when the
 * holder is disabled). `authenticate` answers a presented token with its record or
 * a typed error; it never says more about a token than its presenter already has.
 *
 * @example
 * const { token } = await tokens.create(user.id, { name: "ci", permissions: ["tasks.view"], apps: ["flow"] });
 * // later, from `Authorization: Bearer …` on flow:
 * const record = await tokens.authenticate(presented, "flow");
 */
export class ApiTokenService {
  readonly #db: Kysely<AuthDatabase>;
  readonly #uncovered: UncoveredPermissions;
  readonly #now: Clock;
  readonly #cache: ApiTokenCache | undefined;

  constructor(deps: {
    db: Kysely<AuthDatabase>;
    uncoveredPermissions: UncoveredPermissions;
    clock?: Clock;
    /** Where `authenticate` keeps live tokens between requests; revoking drops them. */
    cache?: ApiTokenCache;
  }) {
    this.#db = deps.db;
    this.#uncovered = deps.uncoveredPermissions;
    this.#now = deps.clock ?? Date.now;
    this.#cache = deps.cache;
  }

  /**
   * A new token for `userId`. E_AUTH_TOKEN_INPUT_INVALID for a bad name, permission,
   * app or expiry; E_AUTH_TOKEN_SCOPE_EXCEEDED for a permission the holder lacks.
   */
  async create(userId: number, input: NewApiToken): Promise<{ token: string; record: ApiToken }> {
    const now = this.#now();
    const name = input.name.trim();
    if (name.length === 0 || name.length > NAME_MAX) {
      throw refused("E_AUTH_TOKEN_INPUT_INVALID", `Give the token a name of 1 to ${NAME_MAX} characters.`);
    }
    const permissions = [...new Set(input.permissions.map((p) => p.trim()).filter((p) => p.length > 0))];
    if (permissions.length === 0 || permissions.length > PERMISSIONS_MAX) {
      throw refused(
        "E_AUTH_TOKEN_INPUT_INVALID",
        `A token needs 1 to ${PERMISSIONS_MAX} permissions: name each one it may use (e.g. tasks.view).`,
      );
    }
    const malformed = permissions.find((p) => p.length > 150 || !PERMISSION_SHAPE.test(p));
    if (malformed !== undefined) {
      throw refused(
        "E_AUTH_TOKEN_INPUT_INVALID",
        `"${malformed.slice(0, 60)}" is not a permission name: use dotted lower-case names like tasks.view or links.*.`,
      );
    }
    const apps = input.apps == null ? null : [...new Set(input.apps.map((a) => a.trim()))];
    if (apps !== null && (apps.length === 0 || apps.some((app) => !APP_SHAPE.test(app)))) {
      throw refused(
        "E_AUTH_TOKEN_INPUT_INVALID",
        "Limit the token to app ids such as flow or links, or leave it for every app.",
      );
    }
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && (!Number.isSafeInteger(expiresAt) || expiresAt <= now)) {
      throw refused("E_AUTH_TOKEN_INPUT_INVALID", "A token's expiry must be a time in the future.");
    }
    const lacking = await this.#uncovered(userId, permissions);
    if (lacking.length > 0) {
      throw refused(
        "E_AUTH_TOKEN_SCOPE_EXCEEDED",
        `A token can only carry permissions its holder has; this account lacks ${lacking.join(", ")}.`,
      );
    }
    const { token, hash } = newApiToken();
    const row = {
      user_id: userId,
      name,
      token_hash: hash,
      permissions: JSON.stringify(permissions),
      apps: apps === null ? null : JSON.stringify(apps),
      expires_at: expiresAt,
      last_used_at: null,
      created_at: now,
      revoked_at: null,
    };
    const inserted = await this.#db
      .insertInto("personal_access_tokens")
      .values(row)
      .executeTakeFirstOrThrow();
    return { token, record: toApiToken({ id: Number(inserted.insertId), ...row }) };
  }

  /** The holder's tokens, newest first, revoked ones included (they show as revoked). */
  async list(userId: number): Promise<ApiToken[]> {
    const rows = await this.#db
      .selectFrom("personal_access_tokens")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("id", "desc")
      .execute();
    return rows.map(toApiToken);
  }

  async find(tokenId: number): Promise<ApiToken | undefined> {
    const row = await this.#db
      .selectFrom("personal_access_tokens")
      .selectAll()
      .where("id", "=", tokenId)
      .executeTakeFirst();
    return row === undefined ? undefined : toApiToken(row);
  }

  /** Revokes one token; with `userId`, only if it is that user's. False when nothing changed. */
  async revoke(tokenId: number, userId?: number): Promise<boolean> {
    let live = this.#db
      .selectFrom("personal_access_tokens")
      .select("token_hash")
      .where("id", "=", tokenId)
      .where("revoked_at", "is", null);
    if (userId !== undefined) live = live.where("user_id", "=", userId);
    const found = await live.executeTakeFirst();
    if (found === undefined) return false;
    const result = await this.#db
      .updateTable("personal_access_tokens")
      .set({ revoked_at: this.#now() })
      .where("id", "=", tokenId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    await this.#cache?.forget([found.token_hash]);
    return Number(result.numUpdatedRows) === 1;
  }

  /** Revokes every live token of a user (when they are disabled); returns how many. */
  async revokeAllFor(userId: number): Promise<number> {
    const live = await this.#db
      .selectFrom("personal_access_tokens")
      .select("token_hash")
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .execute();
    if (live.length === 0) return 0;
    const result = await this.#db
      .updateTable("personal_access_tokens")
      .set({ revoked_at: this.#now() })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    await this.#cache?.forget(live.map((row) => row.token_hash));
    return Number(result.numUpdatedRows);
  }

  /**
   * The record of a presented token used on `appId`, or: E_AUTH_TOKEN_MALFORMED (not
   * a MARG token: prefix, length or checksum), E_AUTH_TOKEN_UNKNOWN, E_AUTH_TOKEN_REVOKED,
   * E_AUTH_TOKEN_EXPIRED, E_AUTH_DISABLED (its holder is disabled),
   * E_AUTH_TOKEN_APP_REFUSED (limited to other apps).
   */
  async authenticate(presented: string, appId: string): Promise<AuthenticatedApiToken> {
    if (!isWellFormedApiToken(presented)) {
      throw refused(
        "E_AUTH_TOKEN_MALFORMED",
        "That is not a MARG API token (wrong prefix, length or checksum): copy the whole token, starting marg_pat_.",
      );
    }
    const hash = hashApiToken(presented);
    const now = this.#now();
    const cached = await this.#cache?.read(hash);
    if (cached !== undefined) {
      checkUsable(cached, now, appId);
      if (!touchDue(cached, now)) return cached;
      return this.#touch(hash, cached, now);
    }
    const row = await this.#db
      .selectFrom("personal_access_tokens as t")
      .innerJoin("users as u", "u.id", "t.user_id")
      .selectAll("t")
      .select(["u.disabled_at", "u.name as holder_name", "u.email as holder_email", "u.avatar_path"])
      .where("t.token_hash", "=", hash)
      .executeTakeFirst();
    if (row === undefined) {
      throw refused("E_AUTH_TOKEN_UNKNOWN", "No such API token: it may have been deleted; create a new one.");
    }
    const token: AuthenticatedApiToken = {
      ...toApiToken(row),
      holder: {
        id: Number(row.user_id),
        name: row.holder_name,
        email: row.holder_email,
        avatarPath: row.avatar_path,
      },
    };
    checkUsable(token, now, appId);
    if (row.disabled_at != null) {
      throw refused("E_AUTH_DISABLED", "The account this token belongs to is disabled.");
    }
    if (touchDue(token, now)) return this.#touch(hash, token, now);
    await this.#cache?.write(hash, token);
    return token;
  }

  async #touch(hash: string, token: AuthenticatedApiToken, now: number): Promise<AuthenticatedApiToken> {
    await this.#db
      .updateTable("personal_access_tokens")
      .set({ last_used_at: now })
      .where("id", "=", token.id)
      .execute();
    const touched = { ...token, lastUsedAt: now };
    await this.#cache?.write(hash, touched);
    return touched;
  }
}

const touchDue = (token: ApiToken, now: number) =>
  token.lastUsedAt === null || now - token.lastUsedAt >= TOUCH_INTERVAL_MS;

/** Revoked, expired or limited to other apps: the checks a cached record needs again on every use. */
function checkUsable(token: ApiToken, now: number, appId: string): void {
  if (token.revokedAt !== null) {
    throw refused(
      "E_AUTH_TOKEN_REVOKED",
      "This API token was revoked: create a new one on your account page.",
    );
  }
  if (token.expiresAt !== null && token.expiresAt <= now) {
    throw refused(
      "E_AUTH_TOKEN_EXPIRED",
      "This API token has expired: create a new one on your account page.",
    );
  }
  if (token.apps !== null && !token.apps.includes(appId)) {
    throw refused(
      "E_AUTH_TOKEN_APP_REFUSED",
      `This API token works on ${token.apps.join(", ")} only, not on ${appId}.`,
    );
  }
}

function toApiToken(
  row:
    | Selectable<PersonalAccessTokensTable>
    | (Omit<Selectable<PersonalAccessTokensTable>, "id"> & { id: number }),
): ApiToken {
  const num = (value: number | string | null) => (value === null ? null : Number(value));
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    name: row.name,
    permissions: JSON.parse(row.permissions) as string[],
    apps: row.apps === null ? null : (JSON.parse(row.apps) as string[]),
    expiresAt: num(row.expires_at),
    lastUsedAt: num(row.last_used_at),
    createdAt: Number(row.created_at),
    revokedAt: num(row.revoked_at),
  };
}
