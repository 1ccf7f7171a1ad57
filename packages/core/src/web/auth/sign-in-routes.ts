import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { safeRedirectTarget } from "../../auth/safe-redirect.js";
import { signInFailureError } from "../../auth/sign-in-service.js";
import { isMargError } from "../../errors/marg-error.js";
import { announceSessionsEnded } from "../../platform/sessions-ended-job.js";
import { sessionCookieConflict } from "../../session/request-session.js";
import { SessionDirectory } from "../../session/session-directory.js";
import { appOrigins } from "../app-links.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { type AuthRouteContext, bodyField, queryParam } from "./auth-context.js";
import { signInView } from "./auth-views.js";
import { recordSignInFailure, recordSignOut } from "./sign-in-events.js";
import { warnOnceWithoutSuperAdmin } from "./super-admin-warning.js";
import { beginTwoFactorSignIn, completeSignIn, twoFactorRequired } from "./two-factor-sign-in.js";

/** Sign in, sign out, sign out everywhere. */
export function registerSignInRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { config } = ctx.platform;
  const redirect = {
    origins: [...appOrigins(config).keys()],
    self: new URL(config.app.url).origin,
    ...(ctx.redirectsOffSite === undefined ? {} : { redirectsOnward: ctx.redirectsOffSite }),
    fallback: "/",
  };
  const safeNext = (next: string | undefined) => safeRedirectTarget(next, redirect);

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { next: string; email?: string; error?: string; status?: number },
  ) =>
    ctx.pages.page(request, reply, {
      title: "Sign in",
      status: options.status ?? 200,
      body: signInView({
        csrf: await request.session.csrfToken(),
        next: options.next,
        values: { email: options.email },
        ...(options.error === undefined ? {} : { error: options.error }),
        registration: config.auth.registrationEnabled,
      }),
    });

  app.get("/login", async (request, reply) => {
    void warnOnceWithoutSuperAdmin(ctx.platform);
    const next = safeNext(queryParam(request.query, "next"));
    // Two session cookies: signed out, and told why signing in fails until they are cleared.
    if (request.session.conflicted) {
      return showForm(request, reply, { next, error: sessionCookieConflict().message, status: 400 });
    }
    if (request.user !== null) return reply.redirect(next, 303);
    return showForm(request, reply, { next });
  });

  app.post("/login", async (request, reply) => {
    const email = bodyField(request.body, "email") ?? "";
    const next = safeNext(bodyField(request.body, "next"));
    const result = await ctx.platform.signIn.attempt({
      email,
      password: bodyField(request.body, "password") ?? "",
      ip: request.ip,
    });
    if (!result.ok) {
      await recordSignInFailure(ctx.platform, request, email, result.reason);
      const error = signInFailureError(result);
      if (result.retryAfterSeconds !== undefined)
        reply.header("retry-after", String(result.retryAfterSeconds));
      if (wantsJson(request)) throw error;
      return showForm(request, reply, { next, email, error: error.message, status: error.status });
    }
    if (await beginTwoFactorSignIn(ctx, request, result.user, next)) {
      if (wantsJson(request)) throw twoFactorRequired();
      return reply.redirect("/login/two-factor", 303);
    }
    await completeSignIn(ctx, request, result.user, "password");
    if (wantsJson(request)) return { user: request.user, csrfToken: await request.session.csrfToken() };
    return reply.redirect(next, 303);
  });

  app.post("/logout", async (request, reply) => {
    const userId = await request.session.userId();
    // Read before destroy(), which forgets the store key the handle is derived from.
    const handle = request.session.handle;
    await recordSignOut(ctx.platform, request, userId, false);
    await request.session.destroy();
    if (userId !== null && handle !== undefined) {
      await announceSessionsEnded(ctx.platform, {
        userId: Number(userId),
        handles: [handle],
        reason: "sign-out",
      });
    }
    if (wantsJson(request)) return reply.status(204).send();
    return reply.redirect("/login", 303);
  });

  app.post("/logout-everywhere", async (request, reply) => {
    const userId = await request.session.userId();
    if (userId !== null) await new SessionDirectory(ctx.platform.sessions).destroyAllForUser(userId);
    await recordSignOut(ctx.platform, request, userId, true);
    await request.session.destroy();
    if (userId !== null) {
      await announceSessionsEnded(ctx.platform, {
        userId: Number(userId),
        handles: null,
        reason: "sign-out-everywhere",
      });
    }
    try {
      await flash(request, "success", "You are signed out on every device.");
    } catch (error) {
      if (!isMargError(error)) throw error;
    }
    return reply.redirect("/login", 303);
  });
}
