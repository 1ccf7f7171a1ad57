import type { FastifyInstance, FastifyRequest } from "fastify";
import { signInFailureError } from "../../auth/sign-in-service.js";
import { isMargError, MargError } from "../../errors/marg-error.js";
import type { AuthRouteContext } from "./auth-context.js";
import { keepChallenge, takeChallenge } from "./passkey-challenge.js";
import { completeSignIn, pendingOf, signInExpired } from "./two-factor-sign-in.js";

const isPasskeyRefusal = (error: unknown): error is MargError =>
  isMargError(error) && error.code === "E_AUTH_PASSKEY_INVALID";

const noPasskey = () =>
  new MargError(
    "E_AUTH_PASSKEY_INVALID",
    "The passkey could not be verified: this account has no passkey. Use your code instead.",
    { status: 400 },
  );

/**
 * A passkey as the second step after the password (`/login/two-factor`): the same
 * pending sign-in as the code (5 minutes, this session only), the same throttle
 * (attemptSecondFactor: a refused assertion is a wrong code), a challenge kept in the
 * session for this ceremony alone and taken out by the first answer, right or wrong.
 * Only the pending account's passkeys are offered and accepted. A refused or replayed
 * assertion is 400 E_AUTH_PASSKEY_INVALID; a gone pending sign-in 401
 * E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED. JSON only: the page's script calls these.
 */
export function registerTwoFactorPasskeyRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const { passkeys } = platform.accounts;

  app.post("/login/two-factor/passkey/options", async (request) => {
    const pending = await pendingOf(request);
    if (pending === undefined) throw signInExpired();
    const options = await passkeys.authenticationOptions(pending.userId);
    // No passkey would let the browser offer any discoverable one: refuse up front instead.
    if ((options.allowCredentials ?? []).length === 0) throw noPasskey();
    await keepChallenge(request, "second-factor", options.challenge);
    return options;
  });

  app.post("/login/two-factor/passkey", async (request, reply) => {
    const pending = await pendingOf(request);
    if (pending === undefined) throw signInExpired();
    let refusal: MargError | undefined;
    // Taken before the throttle, so every answer spends the challenge, even a refused one.
    const challenge = await takeChallenge(request, "second-factor").catch((error: unknown) => {
      if (!isPasskeyRefusal(error)) throw error;
      refusal = error;
      return undefined;
    });
    const credential = (request.body as { credential?: unknown } | null | undefined)?.credential;
    const result = await platform.signIn.attemptSecondFactor(
      { userId: pending.userId, ip: request.ip },
      async () => {
        if (challenge === undefined) return undefined;
        try {
          return await passkeys.authenticate(credential, challenge, pending.userId);
        } catch (error) {
          if (!isPasskeyRefusal(error)) throw error;
          refusal = error;
          return undefined;
        }
      },
    );
    if (!result.ok) {
      if (result.retryAfterSeconds !== undefined)
        reply.header("retry-after", String(result.retryAfterSeconds));
      if (result.reason === "throttled") throw signInFailureError(result);
      await recordFailure(ctx, request, pending.userId);
      throw refusal ?? noPasskey();
    }
    const user = await platform.users.findById(pending.userId);
    // Disabled (or deleted) while the passkey was being touched: the sign-in ends here.
    if (user === null || user.disabledAt !== null) throw signInFailureError({ reason: "disabled" });
    await completeSignIn(ctx, request, user, "password+passkey");
    return { user: request.user, csrfToken: await request.session.csrfToken(), next: pending.next };
  });
}

function recordFailure(ctx: AuthRouteContext, request: FastifyRequest, userId: number): Promise<void> {
  return ctx.platform.accountEvents.record({
    type: "sign-in.failed",
    userId,
    ip: request.ip,
    app: ctx.platform.config.app.id,
    detail: { step: "two-factor", method: "passkey" },
  });
}
