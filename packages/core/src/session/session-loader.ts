import { readCookieValues } from "./session-cookie.js";
import { logRefOf, logRefOfCookie } from "./session-id.js";
import { expiryFor, freshState, type SessionRuntime, type SessionState } from "./session-state.js";
import { SessionValues } from "./session-values.js";
import type { SessionRecord } from "./types.js";
import type { VerifiedSessionCookie } from "./verified-cookies.js";

/**
 * Loads the session a request's Cookie header points to. Every failure ends in a
 * fresh, signed-out session, never an exception: an altered cookie is refused
 * before the store is asked; an unknown, expired or unreadable session, or a
 * store that is down, is logged by its short reference and nothing else.
 */
export async function loadSession(
  runtime: SessionRuntime,
  cookieHeader: string | undefined,
  logContext: Record<string, unknown>,
): Promise<SessionState> {
  const { settings, store, logger, cookies } = runtime;
  const now = Date.now();
  const candidates = readCookieValues(cookieHeader, settings.cookieName);
  if (candidates.length === 0) return freshState(now);
  if (candidates.length > 1) {
    // Never "whichever verifies": a sibling host can plant a genuine session of its own
    // (the attacker's, whose CSRF token it knows) beside ours. Both are ignored.
    logger.warn(
      { ...logContext, code: "E_SESSION_COOKIE_CONFLICT", cookies: candidates.length },
      "more than one session cookie; running signed out",
    );
    return freshState(now, { conflict: true });
  }
  const verified: VerifiedSessionCookie | undefined = cookies.verify(candidates[0] ?? "");
  if (verified === undefined) {
    const session = logRefOfCookie(candidates[0] ?? "");
    logger.warn(
      { ...logContext, code: "E_SESSION_TAMPERED", session },
      "session cookie failed its signature",
    );
    return freshState(now, { clearCookie: true });
  }
  const { storeKey, codec } = verified;
  const session = logRefOf(storeKey);
  let record: SessionRecord | null;
  try {
    record = await store.read(storeKey);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn(
      { ...logContext, code: "E_SESSION_STORE_UNAVAILABLE", session, reason },
      "session store unreachable; running signed out",
    );
    return freshState(now, { unavailable: true });
  }
  if (record === null) {
    logger.debug({ ...logContext, session }, "session unknown or expired");
    return freshState(now, { clearCookie: true });
  }
  if (now >= record.createdAt + settings.absoluteMs || now >= record.expiresAt) {
    logger.info({ ...logContext, session }, "session reached its lifetime");
    await store.destroy(storeKey).catch(() => undefined);
    return freshState(now, { clearCookie: true });
  }
  const fields = new Map<string, unknown>();
  const stale: string[] = [];
  for (const [field, stored] of Object.entries(record.data)) {
    const decoded = codec.decode(field, stored);
    if (decoded === undefined) {
      // Not destroyed: an app with the right key (mid-rotation) may still read it.
      logger.warn({ ...logContext, code: "E_SESSION_UNREADABLE", session }, "session data unreadable");
      return freshState(now);
    }
    fields.set(field, decoded.value);
    if (decoded.stale) stale.push(field);
  }
  const values = SessionValues.fromStored(fields);
  // Re-encrypting on first use (not at some later write) bounds a key rotation:
  // after one idle lifetime every live session is under the new key.
  for (const field of stale) values.markChanged(field);
  return {
    ...freshState(now),
    sessionId: verified.sessionId,
    storeKey,
    codec,
    persisted: true,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    values,
    indexedUserId: record.userId,
    // The expiry moves, or (once capped by the absolute lifetime) "last seen" would stand still.
    touchDue:
      expiryFor(settings, record.createdAt, now) - record.expiresAt >= settings.touchIntervalMs ||
      now - record.lastActivity >= settings.touchIntervalMs,
    resignCookie: verified.signedWithPreviousKey,
    csrf: { sessionId: verified.sessionId, secret: verified.csrfSecret },
  };
}
