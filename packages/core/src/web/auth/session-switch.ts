import type { FastifyRequest } from "fastify";
import type { User } from "../../auth/types.js";
import { announceSessionsEnded } from "../../platform/sessions-ended-job.js";
import type { Platform } from "../../platform/types.js";
import { signInSession } from "../current-user.js";

/**
 * Signs `user` in (a new session id, as every sign-in). When the browser was still
 * signed in, as anyone, that session ends here: it is announced as a sign-out, so an
 * app holding state for it (the `id` app's OpenID sessions) never hands it on to
 * the person who signed in over it.
 */
export async function signInReplacingSession(
  platform: Pick<Platform, "queue" | "logger">,
  request: FastifyRequest,
  user: User,
): Promise<void> {
  const previousUser = await request.session.userId();
  const previousHandle = request.session.handle;
  await signInSession(request, user);
  if (previousUser === null || previousHandle === undefined) return;
  await announceSessionsEnded(platform, {
    userId: Number(previousUser),
    handles: [previousHandle],
    reason: "sign-out",
  });
}
