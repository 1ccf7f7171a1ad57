import type { SessionFieldCodec } from "./session-codec.js";
import type { SessionKeyRing } from "./session-keys.js";
import type { SessionSettings } from "./session-settings.js";
import { SessionValues } from "./session-values.js";
import type { SessionLogger, SessionStore } from "./types.js";
import type { VerifiedCookieCache } from "./verified-cookies.js";

/** What every session of one app shares: built once by the plugin. */
export interface SessionRuntime {
  readonly store: SessionStore;
  /** The app this process serves (`flow`), remembered by each session signed in here. */
  readonly appId: string;
  readonly settings: SessionSettings;
  readonly ring: SessionKeyRing;
  readonly logger: SessionLogger;
  /** Recently verified cookie values and what their ids derive to. */
  readonly cookies: VerifiedCookieCache;
}

/** Sets or clears the session cookie on the reply being sent. */
export interface SessionCookieJar {
  set(value: string, maxAgeSeconds: number): void;
  clear(): void;
}

/** One request's session once loaded. A new session has no id until one is needed. */
export interface SessionState {
  sessionId: string | undefined;
  storeKey: string | undefined;
  codec: SessionFieldCodec | undefined;
  /** True when the session exists in the store (saves are updates, not creates). */
  persisted: boolean;
  createdAt: number;
  expiresAt: number;
  values: SessionValues;
  /** The user the store indexes this session under. */
  indexedUserId: string | null;
  /** Persist even with no values (a CSRF token was issued for this id). */
  keepAlive: boolean;
  touchDue: boolean;
  /** The cookie was signed with a previous key: send it again signed with the current one. */
  resignCookie: boolean;
  /** The request's cookie is dead (altered, unknown, expired, destroyed): clear it unless replaced. */
  clearCookie: boolean;
  /** The store failed: run signed out, save nothing, leave the cookie alone. */
  unavailable: boolean;
  /**
   * The request carried more than one session cookie (one planted by a sibling
   * host, most likely): run signed out, save nothing, leave the cookies alone.
   */
  conflict: boolean;
  /** The CSRF secret of the id the cookie carried, when known (used only while that is still the id). */
  csrf: { readonly sessionId: string; readonly secret: Buffer } | undefined;
}

/** An empty session, as for a first visit. */
export function freshState(now: number, flags: Partial<SessionState> = {}): SessionState {
  return {
    sessionId: undefined,
    storeKey: undefined,
    codec: undefined,
    persisted: false,
    createdAt: now,
    expiresAt: now,
    values: new SessionValues(),
    indexedUserId: null,
    keepAlive: false,
    touchDue: false,
    resignCookie: false,
    clearCookie: false,
    unavailable: false,
    conflict: false,
    csrf: undefined,
    ...flags,
  };
}

/** When a session used now should expire: the idle timeout, capped by the absolute deadline. */
export function expiryFor(settings: SessionSettings, createdAt: number, now: number): number {
  return Math.min(now + settings.idleMs, createdAt + settings.absoluteMs);
}
