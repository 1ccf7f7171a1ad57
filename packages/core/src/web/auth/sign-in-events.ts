import type { FastifyRequest } from "fastify";
import type { SignInFailureReason } from "../../auth/sign-in-service.js";
import type { Platform } from "../../platform/types.js";

// The sign-in routes' account events, here so sign-in-routes.ts gains one line per event
// (a successful sign-in is recorded with its method by completeSignIn, two-factor-sign-in.ts).

/**
 * A refused sign-in. The account is named when the address has one (so its owner's
 * trail shows attempts on it); the address itself and the password are never kept.
 */
export async function recordSignInFailure(
  platform: Platform,
  request: FastifyRequest,
  email: string,
  reason: SignInFailureReason,
): Promise<void> {
  // A throttled attempt checked no password: the failures that led to the throttle are in the
  // trail already, and recording each refusal would let a spray grow the table at request rate.
  if (reason === "throttled") return;
  const account = email.trim() === "" ? null : await platform.users.findByEmail(email);
  await platform.accountEvents.record({
    type: "sign-in.failed",
    userId: account?.id ?? null,
    // Whoever typed the password is not known to be the owner: no actor.
    actorId: null,
    ip: request.ip,
    app: platform.config.app.id,
    detail: { reason },
  });
}

/** A sign-out (here, or `everywhere`: every session of the account ended). */
export async function recordSignOut(
  platform: Platform,
  request: FastifyRequest,
  sessionUserId: string | null,
  everywhere: boolean,
): Promise<void> {
  // The session keeps the id as a string; a signed-out visitor's sign-out is nobody's event.
  if (sessionUserId === null) return;
  await platform.accountEvents.record({
    type: "sign-out",
    userId: Number(sessionUserId),
    ip: request.ip,
    app: platform.config.app.id,
    ...(everywhere ? { detail: { everywhere: true } } : {}),
  });
}
