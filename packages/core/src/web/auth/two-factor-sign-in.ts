import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasSecondFactor, type SecondFactors, secondFactorsOf } from "../../auth/second-factors.js";
import { signInFailureError } from "../../auth/sign-in-service.js";
import { invalidTwoFactorCode } from "../../auth/two-factor/two-factor-service.js";
import type { User } from "../../auth/types.js";
import { isMargError, MargError } from "../../errors/marg-error.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { signInReplacingSession } from "./session-switch.js";
import { twoFactorSignInView } from "./two-factor-views.js";

/** The password step's result while the second factor is asked for: not signed in yet. */
export interface PendingSignIn {
  readonly userId: number;
  readonly expiresAt: number;
  readonly next: string;
}

const PENDING_KEY = "auth:two-factor-pending";
/** The session knows the account has two-factor on, as of this time (AUTH_REQUIRE_2FA reads it). */
export const TWO_FACTOR_SEEN_KEY = "auth:two-factor-seen";
/** How long the code may take after the password: long enough to find the phone. */
const PENDING_MS = 5 * 60_000;

/** How a sign-in was proven, for the `sign-in` account event. */
export type SignInMethod =
  | "password"
  | "password+totp"
  | "password+recovery-code"
  | "password+passkey"
  /** A sign-up or invitation link used (/join): the new account's first sign-in. */
  | "invitation";

/**
 * Signs the user in (new session id, as every sign-in) and records the `sign-in` event.
 * The one way the password and two-factor steps finish.
 */
export async function completeSignIn(
  ctx: AuthRouteContext,
  request: FastifyRequest,
  user: User,
  method: SignInMethod,
): Promise<void> {
  // The sign-in is complete only now (after the second step, if any): "last sign-in" moves here.
  await signInReplacingSession(ctx.platform, request, await ctx.platform.users.recordLogin(user.id));
  await request.session.delete(PENDING_KEY);
  if (method.startsWith("password+")) await request.session.set(TWO_FACTOR_SEEN_KEY, Date.now());
  await ctx.platform.accountEvents.record({
    type: "sign-in",
    userId: user.id,
    ip: request.ip,
    app: ctx.platform.config.app.id,
    detail: { method },
  });
}

/**
 * After a right password: when the account has a second factor (a TOTP app, a passkey
 * or both), the session remembers the pending sign-in (not signed in) and the caller
 * sends the person to the two-factor step. False when no second step is needed.
 */
export async function beginTwoFactorSignIn(
  ctx: AuthRouteContext,
  request: FastifyRequest,
  user: User,
  next: string,
): Promise<boolean> {
  if (!hasSecondFactor(await secondFactorsOf(ctx.platform.accounts, user.id))) return false;
  const pending: PendingSignIn = { userId: user.id, expiresAt: Date.now() + PENDING_MS, next };
  await request.session.set(PENDING_KEY, pending);
  return true;
}

/** The answer to a JSON client whose password was right: now the code. */
export function twoFactorRequired(): MargError {
  return new MargError(
    "E_AUTH_TWO_FACTOR_REQUIRED",
    "The password is right; this account also needs a second step: POST a code as `code` to /login/two-factor, " +
      "or a passkey's assertion to /login/two-factor/passkey (options from /login/two-factor/passkey/options).",
    { status: 401 },
  );
}

export function signInExpired(): MargError {
  return new MargError(
    "E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED",
    "This sign-in took more than 5 minutes or was never started: sign in with your password again.",
    { status: 401 },
  );
}

/**
 * The pending sign-in's account has no second factor left: an administrator (or
 * `marg user:reset-2fa`) reset it, or its owner turned it off elsewhere, after the
 * password step. The step can no longer be passed; the password alone now signs in.
 */
export function secondFactorsGone(): MargError {
  return new MargError(
    "E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED",
    "Two-factor sign-in was turned off for this account while you were signing in: sign in with your password again.",
    { status: 401 },
  );
}

/** The pending sign-in of this session, or undefined when there is none or its 5 minutes are over. */
export async function pendingOf(request: FastifyRequest): Promise<PendingSignIn | undefined> {
  const value = await request.session.get<PendingSignIn>(PENDING_KEY);
  if (typeof value !== "object" || value === null || typeof value.userId !== "number") return undefined;
  if (value.expiresAt <= Date.now()) {
    await request.session.delete(PENDING_KEY);
    return undefined;
  }
  return value;
}

/** `/login/two-factor`: the code after the password, throttled like the password. */
export function registerTwoFactorSignInRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pending: PendingSignIn,
    error?: MargError,
  ) => {
    // Read now, not at the password step: a factor removed meanwhile is not offered.
    const factors: SecondFactors = await secondFactorsOf(platform.accounts, pending.userId);
    return ctx.pages.page(request, reply, {
      title: "Two-factor sign-in",
      status: error?.status ?? 200,
      body: twoFactorSignInView({
        csrf: await request.session.csrfToken(),
        totp: factors.totp,
        passkey: factors.passkeys > 0,
        ...(error === undefined ? {} : { error: error.message }),
      }),
    });
  };

  /** A browser whose pending sign-in is gone starts again at /login, told why. */
  const startAgain = async (request: FastifyRequest, reply: FastifyReply, why = signInExpired()) => {
    if (wantsJson(request)) throw why;
    try {
      await flash(request, "error", why.message);
    } catch (error) {
      if (!isMargError(error)) throw error;
    }
    return reply.redirect("/login", 303);
  };

  /**
   * The pending sign-in, if its account still has a second factor. Reset meanwhile (lost
   * phone): the step is dropped and the person told to sign in again, rather than shown a
   * step with nothing to pass or having every code counted as wrong.
   */
  const stillPending = async (request: FastifyRequest, reply: FastifyReply) => {
    const pending = await pendingOf(request);
    if (pending === undefined) return { answer: await startAgain(request, reply) };
    if (hasSecondFactor(await secondFactorsOf(platform.accounts, pending.userId))) return { pending };
    await request.session.delete(PENDING_KEY);
    return { answer: await startAgain(request, reply, secondFactorsGone()) };
  };

  app.get("/login/two-factor", async (request, reply) => {
    if (request.user !== null) return reply.redirect("/", 303);
    const { pending, answer } = await stillPending(request, reply);
    if (pending === undefined) return answer;
    return showForm(request, reply, pending);
  });

  app.post("/login/two-factor", async (request, reply) => {
    const { pending, answer } = await stillPending(request, reply);
    if (pending === undefined) return answer;
    const code = bodyField(request.body, "code") ?? "";
    const result = await platform.signIn.attemptSecondFactor({ userId: pending.userId, ip: request.ip }, () =>
      platform.accounts.twoFactor.verify(pending.userId, code).catch((error: unknown) => {
        if (isMargError(error) && error.code === "E_AUTH_TWO_FACTOR_CODE_INVALID") return undefined;
        throw error;
      }),
    );
    if (!result.ok) {
      if (result.reason === "invalid") {
        await platform.accountEvents.record({
          type: "sign-in.failed",
          userId: pending.userId,
          ip: request.ip,
          app: platform.config.app.id,
          detail: { step: "two-factor" },
        });
      }
      const error = result.reason === "throttled" ? signInFailureError(result) : invalidTwoFactorCode();
      if (result.retryAfterSeconds !== undefined)
        reply.header("retry-after", String(result.retryAfterSeconds));
      if (wantsJson(request)) throw error;
      return showForm(request, reply, pending, error);
    }
    const user = await platform.users.findById(pending.userId);
    // Disabled (or deleted) while the code was being typed: the sign-in ends here.
    if (user === null || user.disabledAt !== null) throw signInFailureError({ reason: "disabled" });
    const method = result.value === "totp" ? "password+totp" : "password+recovery-code";
    await completeSignIn(ctx, request, user, method);
    if (result.value === "recovery-code") {
      const left = (await platform.accounts.twoFactor.status(user.id)).recoveryCodesLeft;
      await flash(
        request,
        "info",
        `You used a recovery code; ${left} left. Make new ones from your account page if you are running low.`,
      );
    }
    if (wantsJson(request)) return { user: request.user, csrfToken: await request.session.csrfToken() };
    return reply.redirect(pending.next, 303);
  });
}
