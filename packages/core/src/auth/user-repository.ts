import { type Kysely, type SqlBool, sql, type Updateable } from "kysely";
import { MargError } from "../errors/marg-error.js";
import type { AuthDatabase, UsersTable } from "./auth-schema.js";
import { normalizeEmail, parseEmail, parseName } from "./email.js";
import type { PasswordHasher } from "./password-hasher.js";
import { assertPasswordAcceptable } from "./password-policy.js";
import type { Clock, User, UserPage } from "./types.js";
import { isUniqueViolation, likeContains, toUser, USER_COLUMNS } from "./user-rows.js";

export interface NewUser {
  readonly email: string;
  readonly name: string;
  readonly password: string;
}

export interface UserListQuery {
  /** Matches part of the email or name, case-insensitively. */
  readonly search?: string;
  readonly status?: "all" | "active" | "disabled";
  readonly page?: number;
  /** 1 to 100; default 25. */
  readonly perPage?: number;
}

/**
 * Users of the shared `marg-rbac` database. Every write validates its input (zod
 * email, name, password policy) and throws a MargError a form can show; a plain
 * `User` never carries the password hash.
 *
 * @example
 * const users = new UserRepository(rbac, { hasher: new PasswordHasher() });
 * const ann = await users.create({ email: "Ann@Example.com", name: "Ann", password: "a long passphrase" });
 */
export class UserRepository {
  readonly #db: Kysely<AuthDatabase>;
  readonly #hasher: PasswordHasher;
  readonly #now: Clock;

  constructor(db: Kysely<AuthDatabase>, options: { hasher: PasswordHasher; clock?: Clock }) {
    this.#db = db;
    this.#hasher = options.hasher;
    this.#now = options.clock ?? Date.now;
  }

  /** The same repository working inside a transaction (`db.transaction().execute(trx => …)`). */
  withDb(db: Kysely<AuthDatabase>): UserRepository {
    return new UserRepository(db, { hasher: this.#hasher, clock: this.#now });
  }

  /** Creates a user; E_AUTH_EMAIL_TAKEN (409) when the address is in use in any letter case. */
  async create(input: NewUser): Promise<User> {
    const { email, normalized } = parseEmail(input.email);
    const name = parseName(input.name);
    const password = assertPasswordAcceptable(input.password, { email });
    if (await this.findByEmail(normalized)) throw emailTaken();
    const passwordHash = await this.#hasher.hash(password);
    const now = this.#now();
    try {
      const result = await this.#db
        .insertInto("users")
        .values({
          email,
          email_normalized: normalized,
          name,
          password_hash: passwordHash,
          avatar_path: null,
          disabled_at: null,
          last_login_at: null,
          password_changed_at: now,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirstOrThrow();
      return await this.#get(Number(result.insertId));
    } catch (error) {
      // Two sign-ups racing past the check above meet at the unique index.
      if (isUniqueViolation(error)) throw emailTaken();
      throw error;
    }
  }

  async findById(id: number): Promise<User | null> {
    const row = await this.#db
      .selectFrom("users")
      .select(USER_COLUMNS)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  /** Looks an address up in any letter case and with stray spaces; null when unknown. */
  async findByEmail(email: string): Promise<User | null> {
    const row = await this.#db
      .selectFrom("users")
      .select(USER_COLUMNS)
      .where("email_normalized", "=", normalizeEmail(email))
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  /** The user and stored hash for sign-in; the only read that returns the hash. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const row = await this.#db
      .selectFrom("users")
      .select([...USER_COLUMNS, "password_hash"])
      .where("email_normalized", "=", normalizeEmail(email))
      .executeTakeFirst();
    return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
  }

  /** Changes the name and/or avatar path (null removes the avatar). */
  async updateProfile(id: number, changes: { name?: string; avatarPath?: string | null }): Promise<User> {
    const set: Updateable<UsersTable> = {};
    if (changes.name !== undefined) set.name = parseName(changes.name);
    if (changes.avatarPath !== undefined) set.avatar_path = changes.avatarPath;
    return this.#update(id, set);
  }

  /**
   * Sets a new password after checking the policy. `passwordChangedAt` moves, so the
   * caller can end the user's other sessions.
   */
  async setPassword(id: number, password: string): Promise<User> {
    const user = await this.#get(id);
    const accepted = assertPasswordAcceptable(password, { email: user.email });
    const passwordHash = await this.#hasher.hash(accepted);
    return this.#update(id, { password_hash: passwordHash, password_changed_at: this.#now() });
  }

  /**
   * Stores a hash already made by the hasher. `changed: false` is for rehashing the
   * same password with new parameters, which must not look like a password change.
   */
  async storePasswordHash(id: number, passwordHash: string, options: { changed: boolean }): Promise<User> {
    const set: Updateable<UsersTable> = { password_hash: passwordHash };
    if (options.changed) set.password_changed_at = this.#now();
    return this.#update(id, set);
  }

  /** Refuses sign-in from now on; the caller should end the user's sessions. */
  disable(id: number): Promise<User> {
    return this.#update(id, { disabled_at: this.#now() });
  }

  enable(id: number): Promise<User> {
    return this.#update(id, { disabled_at: null });
  }

  async recordLogin(id: number): Promise<User> {
    const now = this.#now();
    return this.#update(id, { last_login_at: now });
  }

  /** One page of users, newest first, optionally filtered by a search text and status. */
  async list(query: UserListQuery = {}): Promise<UserPage> {
    const perPage = clampInteger(query.perPage, 1, 100, 25);
    const page = clampInteger(query.page, 1, Number.MAX_SAFE_INTEGER, 1);
    let filtered = this.#db.selectFrom("users");
    const search = query.search?.trim().toLowerCase() ?? "";
    if (search !== "") {
      const pattern = likeContains(search);
      filtered = filtered.where((eb) =>
        eb.or([
          sql<SqlBool>`${eb.ref("email_normalized")} like ${pattern} escape '!'`,
          sql<SqlBool>`lower(${eb.ref("name")}) like ${pattern} escape '!'`,
        ]),
      );
    }
    if (query.status === "active") filtered = filtered.where("disabled_at", "is", null);
    if (query.status === "disabled") filtered = filtered.where("disabled_at", "is not", null);
    const counted = await filtered.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const total = Number(counted.total);
    const rows = await filtered
      .select(USER_COLUMNS)
      .orderBy("id", "desc")
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    return { items: rows.map(toUser), total, page, perPage, pages: Math.ceil(total / perPage) };
  }

  async #update(id: number, set: Updateable<UsersTable>): Promise<User> {
    // Not found is told by the read back: MySQL's changed-row count depends on client flags.
    await this.#db
      .updateTable("users")
      .set({ ...set, updated_at: this.#now() })
      .where("id", "=", id)
      .execute();
    return this.#get(id);
  }

  async #get(id: number): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw userNotFound(id);
    return user;
  }
}

function emailTaken(): MargError {
  const message = "An account with this email address already exists: sign in, or reset its password.";
  return new MargError("E_AUTH_EMAIL_TAKEN", message, {
    status: 409,
    details: { fields: { email: [message] } },
  });
}

function userNotFound(id: number): MargError {
  return new MargError("E_AUTH_USER_NOT_FOUND", `No user has id ${id}; reload the list and try again.`, {
    status: 404,
  });
}

function clampInteger(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
