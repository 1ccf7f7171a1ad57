import { z } from "zod";
import type { Logger } from "../logging/create-logger.js";
import type { JobSpec } from "../queue/job-definition.js";
import { QUEUE_NAMES } from "../queue/queue-names.js";
import type { Queue } from "../queue/queue-service.js";

/** Why sessions ended: what an app reacting to it (the `id` app's back-channel logout) may tell apart. */
export const SESSIONS_ENDED_REASONS = [
  /** POST /logout: this browser's session. */
  "sign-out",
  /** POST /logout-everywhere: every session of the user. */
  "sign-out-everywhere",
  /** "Your devices" → End: one session, by the person themselves. */
  "ended-by-user",
  /** Admin's user page → End: one session, by an administrator. */
  "ended-by-admin",
  /** Disabled from admin or `marg user:disable`: every session. */
  "user-disabled",
  /** A password reset link used, or the password changed on the account page: every session. */
  "password-reset",
] as const;

const sessionsEndedPayload = z.object({
  userId: z.number().int().positive(),
  /**
   * The ended sessions' opaque handles (`RequestSession.handle`, `handleOf(storeKey)`), or
   * null when every session of the user ended (the user's later sessions are not included).
   */
  handles: z.array(z.string()).nullable(),
  reason: z.enum(SESSIONS_ENDED_REASONS),
});

/** What an app's `onSessionsEnded` hook receives. */
export type SessionsEndedEvent = z.output<typeof sessionsEndedPayload>;
export type SessionsEndedReason = SessionsEndedEvent["reason"];

/**
 * `session.ended`: core dispatches it wherever it ends a signed-in session (sign-out,
 * sign-out everywhere, a device ended by its owner or an admin, a disabled user, a
 * password reset or change); the worker's handler (`kernel/sessions-ended-handler.ts`)
 * calls every app's `onSessionsEnded`. On the default queue, with room for retries:
 * a hook that fails makes the job fail, and the retry calls every hook again.
 */
export const sessionsEndedJob: JobSpec<
  z.input<typeof sessionsEndedPayload>,
  z.output<typeof sessionsEndedPayload>
> = {
  name: "session.ended",
  schema: sessionsEndedPayload,
  queue: QUEUE_NAMES.default,
  attempts: 5,
  backoff: { type: "exponential", delayMs: 5_000 },
};

/**
 * Dispatches `session.ended` after sessions ended. Never throws: the sessions are
 * already gone from the store, so a queue that is down must not turn a sign-out into
 * an error page; it is logged (without the handles) and the apps miss this event.
 *
 * @example
 * await announceSessionsEnded(platform, { userId: 7, handles: [handle], reason: "sign-out" });
 */
export async function announceSessionsEnded(
  platform: { readonly queue: Queue; readonly logger: Logger },
  event: SessionsEndedEvent,
): Promise<void> {
  try {
    await platform.queue.dispatch(sessionsEndedJob, event);
  } catch (error) {
    platform.logger.error(
      { err: error, userId: event.userId, reason: event.reason, sessions: event.handles?.length ?? "all" },
      "session.ended could not be queued: apps are not told these sessions ended (the sessions are ended)",
    );
  }
}
