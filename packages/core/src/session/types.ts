/**
 * The contracts of the session layer. A `SessionStore` is the backend (Redis or
 * the shared database); a `Session` is what a request handler sees.
 *
 * Stores never see a session id: they are keyed by the SHA-256 of the id (the
 * "store key", 64 lowercase hex), so a leaked store dump holds no live cookie.
 * Stores never see plain values either: the session layer hands them one opaque
 * string per field (JSON, or AES-256-GCM ciphertext when SESSION_ENCRYPT=true).
 */

/** One session as a store returns it. Times are epoch milliseconds. */
export interface SessionRecord {
  /** Encoded field values by field name. */
  readonly data: Readonly<Record<string, string>>;
  /** The user the session belongs to, as indexed (the authoritative copy is an encrypted field). */
  readonly userId: string | null;
  readonly createdAt: number;
  /** When the session was last written or touched. */
  readonly lastActivity: number;
  /** When the store will forget the session (idle timeout, capped by the absolute lifetime). */
  readonly expiresAt: number;
}

/**
 * A change to one session: only the fields that changed, so that two requests of
 * one user that change different fields both survive (the store merges per field).
 */
export interface SessionChange {
  /** `create` writes a new session; `update` applies to an existing one and is dropped if it is gone. */
  readonly mode: "create" | "update";
  /** Fields to set, with their encoded values. For `create`: every field. */
  readonly set: Readonly<Record<string, string>>;
  /** Fields to remove. */
  readonly unset: readonly string[];
  /** The user to index the session under; `undefined` leaves it as it is, `null` removes it. */
  readonly userId?: string | null | undefined;
  /** Only read for `create`: updates keep the original creation time. */
  readonly createdAt: number;
  readonly lastActivity: number;
  readonly expiresAt: number;
  /** The absolute deadline (createdAt + absolute lifetime): no index entry needs to live longer. */
  readonly deadline: number;
}

/** A session as listed for "your sessions" and "sign out everywhere". */
export interface SessionSummary {
  /** The store key: useless as a cookie; pages name a session by its handle (`handleOf`), never by this. */
  readonly storeKey: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly lastActivity: number;
  readonly expiresAt: number;
  /**
   * The encoded value of the session's {@link DEVICE_FIELD} (where it was signed in:
   * app, user agent, IP), or null when it has none. Encoded like every field, so
   * encrypted when SESSION_ENCRYPT=true; `SessionDevices` decodes it.
   */
  readonly device: string | null;
}

/** The field the session layer writes at sign-in with the app, user agent and IP (listed with the session). */
export const DEVICE_FIELD = "a:device";

/**
 * A session backend: AdonisJS's four methods (read, write, destroy, touch) plus
 * the user index. Every method takes a store key, never a raw session id.
 */
export interface SessionStore {
  /** The session, or null when it does not exist or has expired. */
  read(storeKey: string): Promise<SessionRecord | null>;
  /** Applies a change atomically per field; returns false when an `update` found no session. */
  write(storeKey: string, change: SessionChange): Promise<boolean>;
  /** Forgets the session (and its index entry). Destroying a missing session is not an error. */
  destroy(storeKey: string): Promise<void>;
  /** Moves the expiry without rewriting data; returns false when the session is gone (never recreates it). */
  touch(
    storeKey: string,
    times: { readonly lastActivity: number; readonly expiresAt: number },
  ): Promise<boolean>;
  /** Live sessions of one user, most recently active first; stale index entries are cleaned on the way. */
  listUserSessions(userId: string): Promise<SessionSummary[]>;
  /** Ends every session of one user at once; returns how many there were. */
  destroyUserSessions(userId: string): Promise<number>;
  /** Deletes expired sessions; the worker's scheduler calls it. Redis expires keys itself and returns 0. */
  sweepExpired(now?: number): Promise<number>;
}

/** The logger the session layer writes to (pino's and Fastify's loggers fit). */
export interface SessionLogger {
  debug(object: Record<string, unknown>, message: string): void;
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/**
 * The session of one request, as `request.session`. It loads lazily: a request
 * that never calls a method costs no store access and sets no cookie. Values
 * must survive `JSON.stringify`. Changes are saved once, when the reply is sent,
 * and only if something changed.
 */
export interface Session {
  get<T = unknown>(key: string): Promise<T | undefined>;
  has(key: string): Promise<boolean>;
  /** Sets a value (`undefined` deletes it). */
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every value set by the app (not flash messages or sign-in state). */
  all(): Promise<Record<string, unknown>>;
  /** Keeps a value for the next request that uses the session, and no longer. */
  flash(key: string, value: unknown): Promise<void>;
  /** A value flashed by the previous request. */
  flashed<T = unknown>(key: string): Promise<T | undefined>;
  /** Every value flashed by the previous request. */
  flashedAll(): Promise<Record<string, unknown>>;
  /** Keeps this request's flashed values for one more request (e.g. across a redirect). */
  reflash(): Promise<void>;
  /** The signed-in user's id, or null when signed out. */
  userId(): Promise<string | null>;
  /**
   * Signs a user in: regenerates the session id (no fixation), keeps the data,
   * records the user and indexes the session under them.
   */
  signIn(userId: string): Promise<void>;
  /**
   * New session id, same data; the old id is destroyed at once. Call at sign-in
   * (done by `signIn`) and on any privilege change.
   */
  regenerate(): Promise<void>;
  /** Ends the session in the shared store (signed out on every app) and clears the cookie. */
  destroy(): Promise<void>;
  /** A CSRF token for forms of this session: HMAC-bound to the session id, masked per call. */
  csrfToken(): Promise<string>;
  /** True when `token` came from `csrfToken()` of this same session. */
  verifyCsrfToken(token: string | undefined): Promise<boolean>;
  /** Throws E_SESSION_CSRF_INVALID (403) unless `token` verifies. */
  assertCsrfToken(token: string | undefined): Promise<void>;
  /**
   * An opaque name for this session as "your devices" lists it (not the store key, not
   * the log reference); undefined before it has an id.
   */
  readonly handle: string | undefined;
  /** A short non-reversible name for this session, safe for logs; undefined before it has an id. */
  readonly logRef: string | undefined;
  /** True when the store could not be reached: the request runs signed out and nothing is saved. */
  readonly unavailable: boolean;
  /** True when the request carried more than one session cookie: signed out, nothing saved, changes refused. */
  readonly conflicted: boolean;
}
