import { SessionFieldCodec } from "./session-codec.js";
import { signSessionId } from "./session-cookie.js";
import { logRefOf, newSessionId, storeKeyOf } from "./session-id.js";
import { expiryFor, type SessionCookieJar, type SessionRuntime, type SessionState } from "./session-state.js";
import { FIELD } from "./session-values.js";

/**
 * Saves a request's session when the reply is sent, doing the least it can:
 * nothing for an unchanged session (a touch at most, once per touch interval),
 * only the changed fields for an existing one, everything for a new one; and a
 * Set-Cookie only for a new id, a re-signed cookie or a dead one. Failures are
 * logged and swallowed: a reply is never turned into a 500 by its session.
 */
export async function commitSession(
  runtime: SessionRuntime,
  state: SessionState,
  jar: SessionCookieJar,
  logContext: Record<string, unknown>,
): Promise<void> {
  const { store, settings, ring, logger } = runtime;
  // Any cookie written now would sit beside the planted one, and clearing ours would leave theirs alone.
  if (state.conflict) return;
  if (state.unavailable) {
    if (state.values.dirty) logger.warn({ ...logContext }, "session changes not saved: store unavailable");
    return;
  }
  const now = Date.now();
  const expiresAt = expiryFor(settings, state.createdAt, now);
  const deadline = state.createdAt + settings.absoluteMs;
  const maxAge = Math.max(1, Math.ceil((deadline - now) / 1000));
  const userId = state.values.get(FIELD.user);
  const wantedUser = typeof userId === "string" ? userId : null;
  try {
    if (!state.persisted) {
      if (state.values.empty && !state.keepAlive) {
        if (state.clearCookie) jar.clear();
        return;
      }
      state.sessionId ??= newSessionId();
      const storeKey = storeKeyOf(state.sessionId);
      const codec = new SessionFieldCodec(ring, settings.encrypt, storeKey);
      const set: Record<string, string> = {};
      for (const [field, value] of state.values.entries()) set[field] = codec.encode(field, value);
      await store.write(storeKey, {
        mode: "create",
        set,
        unset: [],
        userId: wantedUser,
        createdAt: state.createdAt,
        lastActivity: now,
        expiresAt,
        deadline,
      });
      jar.set(signSessionId(ring, state.sessionId), maxAge);
      logger.debug({ ...logContext, session: logRefOf(storeKey) }, "session created");
      return;
    }
    const storeKey = state.storeKey ?? "";
    const userChanged = wantedUser !== state.indexedUserId;
    if (state.values.dirty || userChanged) {
      const changes = state.values.changes();
      const set: Record<string, string> = {};
      for (const [field, value] of changes.set) set[field] = state.codec?.encode(field, value) ?? "";
      const saved = await store.write(storeKey, {
        mode: "update",
        set,
        unset: changes.unset,
        ...(userChanged ? { userId: wantedUser } : {}),
        createdAt: state.createdAt,
        lastActivity: now,
        expiresAt,
        deadline,
      });
      if (!saved) logger.debug({ ...logContext, session: logRefOf(storeKey) }, "session ended before save");
    } else if (state.touchDue) {
      await store.touch(storeKey, { lastActivity: now, expiresAt });
    }
    if (state.resignCookie && state.sessionId !== undefined) {
      jar.set(signSessionId(ring, state.sessionId), maxAge);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const session = state.storeKey === undefined ? undefined : logRefOf(state.storeKey);
    logger.warn({ ...logContext, code: "E_SESSION_STORE_UNAVAILABLE", session, reason }, "session not saved");
  }
}
