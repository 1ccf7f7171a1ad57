import { MargError } from "../errors/marg-error.js";
import { issueCsrfToken, verifyCsrfToken } from "./csrf-token.js";
import { SessionFieldCodec } from "./session-codec.js";
import { commitSession } from "./session-committer.js";
import { readCookieValues } from "./session-cookie.js";
import { deviceAt, type SignInClient } from "./session-device.js";
import { handleOf, logRefOf, newSessionId, storeKeyOf } from "./session-id.js";
import { loadSession } from "./session-loader.js";
import {
  freshState,
  type SessionCookieJar,
  type SessionRuntime,
  type SessionState,
} from "./session-state.js";
import { FIELD } from "./session-values.js";
import type { Session } from "./types.js";

/**
 * The `Session` of one request. Nothing happens until a method is called; the
 * first call loads the session once, and `commit()` (from the plugin's onSend
 * hook) saves it if anything changed.
 */
export class RequestSession implements Session {
  readonly #runtime: SessionRuntime;
  readonly #cookieHeader: string | undefined;
  readonly #logContext: Record<string, unknown>;
  /** The request itself: read only at sign-in, so other requests pay nothing for it. */
  readonly #client: SignInClient | undefined;
  #loading: Promise<SessionState> | undefined;
  #state: SessionState | undefined;
  #committed = false;

  constructor(
    runtime: SessionRuntime,
    cookieHeader: string | undefined,
    logContext: Record<string, unknown>,
    client?: SignInClient,
  ) {
    this.#runtime = runtime;
    this.#cookieHeader = cookieHeader;
    this.#logContext = logContext;
    this.#client = client;
  }

  get handle(): string | undefined {
    return this.#state?.storeKey === undefined ? undefined : handleOf(this.#state.storeKey);
  }

  get logRef(): string | undefined {
    return this.#state?.storeKey === undefined ? undefined : logRefOf(this.#state.storeKey);
  }

  /** True once anything asked for the session (so the reply may have to save it). */
  get used(): boolean {
    return this.#loading !== undefined;
  }

  get unavailable(): boolean {
    return this.#state?.unavailable ?? false;
  }

  /** True when the request carried more than one session cookie: it runs signed out and may change nothing. */
  get conflicted(): boolean {
    return readCookieValues(this.#cookieHeader, this.#runtime.settings.cookieName).length > 1;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.#load()).values.get(FIELD.value(key)) as T | undefined;
  }

  async has(key: string): Promise<boolean> {
    return (await this.#load()).values.has(FIELD.value(key));
  }

  async set(key: string, value: unknown): Promise<void> {
    (await this.#load()).values.set(FIELD.value(key), value);
  }

  async delete(key: string): Promise<void> {
    (await this.#load()).values.delete(FIELD.value(key));
  }

  async all(): Promise<Record<string, unknown>> {
    return (await this.#load()).values.withPrefix("k:");
  }

  async flash(key: string, value: unknown): Promise<void> {
    (await this.#load()).values.set(FIELD.flash(key), value);
  }

  async flashed<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.#load()).values.flashed(key) as T | undefined;
  }

  async flashedAll(): Promise<Record<string, unknown>> {
    const { values } = await this.#load();
    return Object.fromEntries(values.incomingFlashKeys().map((key) => [key, values.flashed(key)]));
  }

  async reflash(): Promise<void> {
    const { values } = await this.#load();
    for (const key of values.incomingFlashKeys()) {
      if (!values.has(FIELD.flash(key))) values.set(FIELD.flash(key), values.flashed(key));
    }
  }

  async userId(): Promise<string | null> {
    const value = (await this.#load()).values.get(FIELD.user);
    return typeof value === "string" ? value : null;
  }

  async signIn(userId: string): Promise<void> {
    await this.#regenerate(true);
    const { values } = this.#requireState();
    values.set(FIELD.user, userId);
    if (this.#client !== undefined) values.set(FIELD.device, deviceAt(this.#runtime.appId, this.#client));
  }

  async regenerate(): Promise<void> {
    await this.#regenerate(false);
  }

  async destroy(): Promise<void> {
    const state = await this.#usableState();
    if (state.persisted && state.storeKey !== undefined) await this.#destroyInStore(state.storeKey);
    const hadCookie = readCookieValues(this.#cookieHeader, this.#runtime.settings.cookieName).length > 0;
    this.#state = freshState(Date.now(), { clearCookie: hadCookie });
  }

  async csrfToken(): Promise<string> {
    const state = await this.#load();
    if (state.sessionId === undefined) {
      state.sessionId = newSessionId();
      state.keepAlive = true;
    }
    return issueCsrfToken(this.#runtime.ring.csrf, state.sessionId, knownSecret(state, state.sessionId));
  }

  async verifyCsrfToken(token: string | undefined): Promise<boolean> {
    const state = await this.#load();
    const { sessionId } = state;
    if (sessionId === undefined || token === undefined || token === "") return false;
    return verifyCsrfToken(this.#runtime.ring.csrf, sessionId, token, knownSecret(state, sessionId));
  }

  async assertCsrfToken(token: string | undefined): Promise<void> {
    if (!(await this.verifyCsrfToken(token))) {
      // A form cannot be checked against a session the store cannot read: say so (503), not "expired".
      if ((await this.#load()).unavailable) throw storeUnavailable(undefined);
      throw new MargError(
        "E_SESSION_CSRF_INVALID",
        "This form has expired or came from another site. Reload the page and submit it again.",
        { status: 403 },
      );
    }
  }

  /** Saves the session if it was used and changed; called once, by the plugin, as the reply is sent. */
  async commit(jar: SessionCookieJar): Promise<void> {
    if (this.#committed || this.#loading === undefined) return;
    this.#committed = true;
    const state = this.#state ?? (await this.#loading);
    await commitSession(this.#runtime, state, jar, this.#logContext);
  }

  async #regenerate(restartClock: boolean): Promise<void> {
    const state = await this.#usableState();
    if (state.persisted && state.storeKey !== undefined) await this.#destroyInStore(state.storeKey);
    const now = Date.now();
    state.sessionId = newSessionId();
    state.storeKey = storeKeyOf(state.sessionId);
    state.codec = new SessionFieldCodec(this.#runtime.ring, this.#runtime.settings.encrypt, state.storeKey);
    state.persisted = false;
    state.keepAlive = true;
    state.resignCookie = false;
    if (restartClock) state.createdAt = now;
  }

  async #destroyInStore(storeKey: string): Promise<void> {
    try {
      await this.#runtime.store.destroy(storeKey);
    } catch (error) {
      throw storeUnavailable(error);
    }
  }

  /** The loaded state, refusing to sign in or out while the store is unreachable. */
  async #usableState(): Promise<SessionState> {
    const state = await this.#load();
    if (state.conflict) throw sessionCookieConflict();
    if (state.unavailable) throw storeUnavailable(undefined);
    return state;
  }

  #requireState(): SessionState {
    if (this.#state === undefined) throw new Error("the session is not loaded");
    return this.#state;
  }

  async #load(): Promise<SessionState> {
    if (this.#state !== undefined) return this.#state;
    this.#loading ??= loadSession(this.#runtime, this.#cookieHeader, this.#logContext).then((state) => {
      this.#state ??= state;
      return this.#state;
    });
    return this.#loading;
  }
}

/** The cached CSRF secret, only while the session still has the id it was made for (not after a regenerate). */
function knownSecret(state: SessionState, sessionId: string): Buffer | undefined {
  return state.csrf?.sessionId === sessionId ? state.csrf.secret : undefined;
}

function storeUnavailable(cause: unknown): MargError {
  return new MargError(
    "E_SESSION_STORE_UNAVAILABLE",
    "Signing in or out needs the session store, which cannot be reached right now. Try again in a moment.",
    { status: 503, cause },
  );
}

/** The answer to a request that carries two session cookies and wants to change something. */
export function sessionCookieConflict(): MargError {
  return new MargError(
    "E_SESSION_COOKIE_CONFLICT",
    "Your browser sent two MARG session cookies, so MARG treats you as signed out and changes nothing: another site under this domain may have set one. Clear this domain's cookies in your browser (site settings), then sign in again.",
    { status: 400 },
  );
}
