import { createHash } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { safeRedirectTarget } from "../../auth/safe-redirect.js";
import { signInFailureError } from "../../auth/sign-in-service.js";
import { isMargError, MargError } from "../../errors/marg-error.js";
import { appOrigins } from "../app-links.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { keepChallenge, takeChallenge } from "./passkey-challenge.js";
import { signInReplacingSession } from "./session-switch.js";

/**
 * Password-less sign-in: `POST /login/passkey/options` hands out a challenge (kept in
 * the session) for any discoverable passkey of the parent domain; `POST /login/passkey`
 * checks the browser's assertion and signs the session in exactly as the password
 * form does. Attempts per client address share the sign-in budget's size
 * (RATE_LIMIT_LOGIN_IP); a refused assertion is a 400 E_AUTH_PASSKEY_INVALID.
 */
export function registerPasskeySignInRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const { config } = platform;
  const budget = config.rateLimits.login.ip;
  const redirect = {
    origins: [...appOrigins(config).keys()],
    self: new URL(config.app.url).origin,
    ...(ctx.redirectsOffSite === undefined ? {} : { redirectsOnward: ctx.redirectsOffSite }),
    fallback: "/",
  };
  const failed = (request: FastifyRequest, why: string) =>
    platform.accountEvents.record({
      type: "sign-in.failed",
      userId: null,
      ip: request.ip,
      app: config.app.id,
      detail: { method: "passkey", reason: why },
    });

  app.post("/login/passkey/options", async (request) => {
    const options = await platform.accounts.passkeys.authenticationOptions();
    await keepChallenge(request, "sign-in", options.challenge);
    return options;
  });

  app.post("/login/passkey", async (request, reply) => {
    // Counted before checking, as the password form is: parallel guesses each take a slot.
    const ipKey = `passkey-ip:${createHash("sha256").update(request.ip).digest("base64url")}`;
    const hit = await platform.throttle.hit(ipKey, budget.windowMs);
    if (budget.max > 0 && hit.count > budget.max) {
      const retryAfterSeconds = Math.max(1, Math.ceil(hit.resetInMs / 1000));
      reply.header("retry-after", String(retryAfterSeconds));
      throw signInFailureError({ reason: "throttled", retryAfterSeconds });
    }
    let userId: number;
    try {
      const challenge = await takeChallenge(request, "sign-in");
      const credential = (request.body as { credential?: unknown } | null | undefined)?.credential;
      ({ userId } = await platform.accounts.passkeys.authenticate(credential, challenge));
    } catch (error) {
      if (isMargError(error) && error.code === "E_AUTH_PASSKEY_INVALID") await failed(request, "invalid");
      throw error;
    }
    const user = await platform.users.findById(userId);
    if (user === null || user.disabledAt !== null) {
      await failed(request, "disabled");
      throw user === null
        ? new MargError("E_AUTH_PASSKEY_INVALID", "The passkey could not be verified: its account is gone.", {
            status: 400,
          })
        : signInFailureError({ reason: "disabled" });
    }
    // A sign-in that worked was no failure of the address, as with the password.
    await platform.throttle.release(ipKey);
    const signedIn = await platform.users.recordLogin(user.id);
    await signInReplacingSession(platform, request, signedIn);
    await platform.accountEvents.record({
      type: "sign-in",
      userId: user.id,
      ip: request.ip,
      app: config.app.id,
      detail: { method: "passkey" },
    });
    return {
      user: request.user,
      csrfToken: await request.session.csrfToken(),
      next: safeRedirectTarget(bodyField(request.body, "next"), redirect),
    };
  });
}
