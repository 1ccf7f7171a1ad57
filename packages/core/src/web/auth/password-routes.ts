import type { FastifyInstance } from "fastify";
import { parseEmail } from "../../auth/email.js";
import { isMargError } from "../../errors/marg-error.js";
import { announceSessionsEnded } from "../../platform/sessions-ended-job.js";
import { SessionDirectory } from "../../session/session-directory.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { type AuthRouteContext, bodyField, queryParam } from "./auth-context.js";
import { forgotPasswordView, resetPasswordView } from "./auth-views.js";

/** Where the reset link's token waits, between the link and the form's post. */
const RESET_TOKEN_KEY = "auth:reset-token";

/**
 * Forgot / reset password. The forgot form answers the same whether or not the
 * address has an account (no user enumeration); the link is single-use, expires
 * in 60 minutes and is stored only as a hash. A reset ends every session of the user.
 */
export function registerPasswordRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;

  app.get("/forgot-password", async (request, reply) =>
    ctx.pages.page(request, reply, {
      title: "Reset your password",
      body: forgotPasswordView({ csrf: await request.session.csrfToken(), values: {}, sent: false }),
    }),
  );

  app.post("/forgot-password", async (request, reply) => {
    const email = bodyField(request.body, "email") ?? "";
    let error: string | undefined;
    try {
      parseEmail(email);
    } catch (problem) {
      if (!isMargError(problem)) throw problem;
      error = problem.message;
    }
    if (error === undefined) {
      const issued = await platform.passwordResets.request(email);
      if (issued !== null) {
        const link = `${platform.config.app.url}/reset-password?token=${encodeURIComponent(issued.token)}`;
        await ctx.sendResetMail(issued.user.email, link);
      }
    }
    if (wantsJson(request))
      return reply
        .status(error ? 422 : 202)
        .send(error ? { error: { code: "E_AUTH_EMAIL_INVALID", message: error } } : { sent: true });
    return ctx.pages.page(request, reply, {
      title: "Reset your password",
      status: error ? 422 : 200,
      body: forgotPasswordView({
        csrf: await request.session.csrfToken(),
        values: { email },
        sent: error === undefined,
        ...(error === undefined ? {} : { error }),
      }),
    });
  });

  app.get("/reset-password", async (request, reply) => {
    // No Referer from this page to anything it loads or links to, and no caching.
    reply.header("referrer-policy", "no-referrer").header("cache-control", "no-store");
    // The mailed link lands here with its token in the URL: the token moves into the
    // session and the browser on to the bare URL, so the address bar, history and
    // every later log line hold no token (this request's line has it redacted).
    const fromLink = queryParam(request.query, "token");
    if (fromLink !== undefined) {
      await request.session.set(RESET_TOKEN_KEY, fromLink);
      return reply.redirect("/reset-password", 303);
    }
    return ctx.pages.page(request, reply, {
      title: "Choose a new password",
      body: resetPasswordView({
        csrf: await request.session.csrfToken(),
        token: (await request.session.get<string>(RESET_TOKEN_KEY)) ?? "",
        errors: {},
      }),
    });
  });

  app.post("/reset-password", async (request, reply) => {
    const token = bodyField(request.body, "token") ?? "";
    try {
      const { userId } = await platform.passwordResets.reset(
        token,
        bodyField(request.body, "password") ?? "",
      );
      await new SessionDirectory(platform.sessions).destroyAllForUser(String(userId));
      await announceSessionsEnded(platform, { userId, handles: null, reason: "password-reset" });
      await request.session.delete(RESET_TOKEN_KEY);
      await request.session.regenerate();
      await flash(request, "success", "Your password is changed. Sign in with the new one.");
      return reply.redirect("/login", 303);
    } catch (error) {
      if (!isMargError(error) || wantsJson(request)) throw error;
      const key = error.code === "E_AUTH_PASSWORD_WEAK" ? "password" : "token";
      return ctx.pages.page(request, reply, {
        title: "Choose a new password",
        status: error.status,
        body: resetPasswordView({
          csrf: await request.session.csrfToken(),
          token,
          errors: { [key]: error.message },
        }),
      });
    }
  });
}
