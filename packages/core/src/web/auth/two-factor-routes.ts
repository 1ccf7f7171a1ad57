import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import type { AccountEventType } from "../../auth/account-events.js";
import { isMargError } from "../../errors/marg-error.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { requireAuth } from "../require-auth.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { passkeysCard } from "./passkey-views.js";
import { TWO_FACTOR_RETURN_KEY, twoFactorRequiredFor } from "./two-factor-requirement.js";
import { TWO_FACTOR_SEEN_KEY } from "./two-factor-sign-in.js";
import { recoveryCodesView, twoFactorCardView, twoFactorSetupView } from "./two-factor-views.js";

/**
 * The account's two-factor sign-in: the card on /account, and /account/two-factor to set
 * it up (QR code and key, one confirming code, then the recovery codes shown once), make
 * new recovery codes, or turn it off (with the password). Each change is an account event.
 */
export function registerTwoFactorRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const twoFactor = platform.accounts.twoFactor;
  const required = async (request: FastifyRequest) =>
    twoFactorRequiredFor(platform.config.auth.requireTwoFactor, await request.permissions());

  const record = (request: FastifyRequest, type: AccountEventType) =>
    platform.accountEvents.record({
      type,
      userId: request.user?.id ?? null,
      ip: request.ip,
      app: platform.config.app.id,
    });

  ctx.accountSections.add(async (request, csrf) => {
    const user = request.user;
    if (user === null) return twoFactorCardView({ csrf, status: offStatus, required: false, passkeys: 0 });
    return twoFactorCardView({
      csrf,
      status: await twoFactor.status(user.id),
      required: await required(request),
      passkeys: await platform.accounts.passkeys.count(user.id),
    });
  });

  const showSetup = async (request: FastifyRequest, reply: FastifyReply, error?: string) => {
    const user = request.user;
    if (user === null) return reply;
    const setup =
      (await twoFactor.pendingSetup(user.id, user.email)) ?? (await twoFactor.begin(user.id, user.email));
    // An SVG of paths with fill and stroke attributes only: no style attribute, so the strict CSP shows it.
    const qrSvg = await QRCode.toString(setup.uri, { type: "svg", width: 200, margin: 2 });
    // A passkey already satisfies AUTH_REQUIRE_2FA: then the app is a second way in, not a must;
    // without one, the page offers a passkey as the other way to satisfy it.
    const mustSetUp = (await required(request)) && (await platform.accounts.passkeys.count(user.id)) === 0;
    const csrf = await request.session.csrfToken();
    return ctx.pages.page(request, reply, {
      title: "Set up two-factor sign-in",
      status: error === undefined ? 200 : 401,
      current: "/account",
      body: twoFactorSetupView({
        csrf,
        qrSvg,
        secret: setup.secret,
        required: mustSetUp,
        ...(mustSetUp ? { passkeyAlternative: passkeysCard({ csrf, passkeys: [] }) } : {}),
        ...(error === undefined ? {} : { error }),
      }),
    });
  };

  app.get("/account/two-factor", { preHandler: requireAuth }, async (request, reply) => {
    if (request.user !== null && (await twoFactor.isEnabled(request.user.id))) {
      return reply.redirect("/account", 303);
    }
    return showSetup(request, reply);
  });

  app.post("/account/two-factor/restart", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user !== null && !(await twoFactor.isEnabled(user.id))) await twoFactor.begin(user.id, user.email);
    return reply.redirect("/account/two-factor", 303);
  });

  app.post("/account/two-factor/confirm", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    let codes: string[];
    try {
      ({ recoveryCodes: codes } = await twoFactor.confirm(user.id, bodyField(request.body, "code") ?? ""));
    } catch (error) {
      if (!isMargError(error) || error.code !== "E_AUTH_TWO_FACTOR_CODE_INVALID") throw error;
      return showSetup(request, reply, error.message);
    }
    await record(request, "two-factor.enabled");
    await request.session.set(TWO_FACTOR_SEEN_KEY, Date.now());
    // Rendered in this answer, never stored: the only time the codes exist in clear.
    return codesAnswer(request, reply, codes, true);
  });

  app.post("/account/two-factor/recovery-codes", { preHandler: requireAuth }, async (request, reply) => {
    const codes = await twoFactor.regenerateRecoveryCodes(request.user?.id ?? 0);
    await record(request, "two-factor.recovery-codes");
    return codesAnswer(request, reply, codes, false);
  });

  app.post("/account/two-factor/disable", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    const password = bodyField(request.body, "two_factor_password") ?? "";
    const credentials = await platform.users.findCredentials(user.email);
    if (credentials === null || !(await platform.hasher.verify(credentials.passwordHash, password))) {
      await flash(request, "error", "Two-factor sign-in is still on: that is not your password.");
      return reply.redirect("/account", 303);
    }
    if (await twoFactor.disable(user.id)) await record(request, "two-factor.disabled");
    await request.session.delete(TWO_FACTOR_SEEN_KEY);
    await flash(request, "success", "Two-factor sign-in is off. Sign-in asks only for your password.");
    return reply.redirect("/account", 303);
  });

  /** The codes, once: as JSON to a JSON client, else the page; neither kept by any cache. */
  const codesAnswer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    codes: string[],
    fresh: boolean,
  ) => {
    reply.header("cache-control", "no-store");
    if (wantsJson(request)) return { recoveryCodes: codes };
    const continueTo = fresh ? await takeReturnPath(request) : undefined;
    return ctx.pages.page(request, reply, {
      title: "Recovery codes",
      current: "/account",
      body: recoveryCodesView({ codes, fresh, continueTo }),
    });
  };
}

/** The path set-up interrupted (see TWO_FACTOR_RETURN_KEY), once; only a path of this app. */
async function takeReturnPath(request: FastifyRequest): Promise<string | undefined> {
  const saved = await request.session.get<string>(TWO_FACTOR_RETURN_KEY);
  if (saved === undefined) return undefined;
  await request.session.delete(TWO_FACTOR_RETURN_KEY);
  return typeof saved === "string" && /^\/(?![/\\])/.test(saved) && !saved.startsWith("/account")
    ? saved
    : undefined;
}

const offStatus = { enabled: false, pending: false, recoveryCodesLeft: 0 } as const;
