import type { MargConfig } from "../config/config-types.js";

/** The session settings in the units the code uses (milliseconds, the final cookie name). */
export interface SessionSettings {
  /** SESSION_COOKIE, with the `__Secure-` prefix when APP_URL is https. */
  readonly cookieName: string;
  readonly domain: string | undefined;
  readonly path: string;
  readonly secure: boolean;
  /** SESSION_LIFETIME: the session ends after this long without a request. */
  readonly idleMs: number;
  /** SESSION_ABSOLUTE_LIFETIME: the session ends this long after sign-in, however busy. */
  readonly absoluteMs: number;
  /** A request refreshes the expiry only when it would move by at least this much. */
  readonly touchIntervalMs: number;
  readonly encrypt: boolean;
}

/** Overrides for tests and benchmarks that need lifetimes shorter than a minute. */
export interface SessionTuning {
  readonly idleMs?: number;
  readonly absoluteMs?: number;
  readonly touchIntervalMs?: number;
}

const MINUTE_MS = 60_000;

/**
 * Derives the settings from `config.session`. The touch interval is a tenth of
 * the idle lifetime, at most one minute: a busy session costs the store one
 * small write a minute, and the idle timeout is honoured to within that minute.
 */
export function resolveSessionSettings(
  session: MargConfig["session"],
  tuning: SessionTuning = {},
): SessionSettings {
  const idleMs = tuning.idleMs ?? session.lifetimeMinutes * MINUTE_MS;
  const absoluteMs = Math.max(idleMs, tuning.absoluteMs ?? session.absoluteLifetimeMinutes * MINUTE_MS);
  const prefixed = session.cookie.startsWith("__Secure-") || session.cookie.startsWith("__Host-");
  return {
    cookieName: session.secure && !prefixed ? `__Secure-${session.cookie}` : session.cookie,
    domain: session.domain === undefined || session.domain === "" ? undefined : session.domain,
    path: session.path,
    secure: session.secure,
    idleMs,
    absoluteMs,
    touchIntervalMs: tuning.touchIntervalMs ?? Math.min(MINUTE_MS, Math.floor(idleMs / 10)),
    encrypt: session.encrypt,
  };
}
