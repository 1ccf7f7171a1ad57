import type { FastifyInstance } from "fastify";
import { isMargError } from "../../errors/marg-error.js";
import { announceSessionsEnded } from "../../platform/sessions-ended-job.js";
import { SessionDirectory } from "../../session/session-directory.js";
import { refreshSessionUser, signInSession } from "../current-user.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { requireAuth } from "../require-auth.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";
import { accountView } from "./auth-views.js";

/** The signed-in user's own account: profile, password, devices; and `/api/v1/me`. */
export function registerAccountRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const directory = new SessionDirectory(platform.sessions);

  const show = async (
    request: Parameters<typeof requireAuth>[0],
    reply: Parameters<typeof requireAuth>[1],
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const user = request.user;
    if (user === null) return reply;
    const csrf = await request.session.csrfToken();
    const sections = await ctx.accountSections.render(request, csrf);
    return ctx.pages.page(request, reply, {
      title: "Your account",
      status,
      current: "/account",
      body: accountView({
        csrf,
        name: user.name,
        email: user.email,
        errors,
        sections,
      }),
    });
  };

  app.get("/account", { preHandler: requireAuth }, async (request, reply) => show(request, reply));

  // A bearer request needs no CSRF token, and asking for one would start a session.
  app.get("/api/v1/me", { preHandler: requireAuth }, async (request) => ({
    user: request.user,
    csrfToken: request.apiToken == null ? await request.session.csrfToken() : null,
  }));

  app.post("/account/profile", { preHandler: requireAuth }, async (request, reply) => {
    const id = request.user?.id ?? 0;
    try {
      const user = await platform.users.updateProfile(id, { name: bodyField(request.body, "name") ?? "" });
      await refreshSessionUser(request, user);
      await flash(request, "success", "Profile saved.");
      return reply.redirect("/account", 303);
    } catch (error) {
      if (!isMargError(error) || error.code !== "E_AUTH_NAME_INVALID" || wantsJson(request)) throw error;
      return show(request, reply, { name: error.message }, 422);
    }
  });

  app.post("/account/password", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    const current = bodyField(request.body, "current_password") ?? "";
    const credentials = await platform.users.findCredentials(user.email);
    if (credentials === null || !(await platform.hasher.verify(credentials.passwordHash, current))) {
      return show(request, reply, { current_password: "That is not your current password." }, 422);
    }
    try {
      const updated = await platform.users.setPassword(user.id, bodyField(request.body, "password") ?? "");
      // A changed password ends every other session; this one moves to a fresh id.
      await directory.destroyAllForUser(String(user.id));
      await signInSession(request, updated);
      // Every session the user had, this one's old id included (it moved to a new one).
      await announceSessionsEnded(platform, { userId: user.id, handles: null, reason: "password-reset" });
      await flash(request, "success", "Password changed. Other devices are signed out.");
      return reply.redirect("/account", 303);
    } catch (error) {
      if (!isMargError(error) || error.code !== "E_AUTH_PASSWORD_WEAK" || wantsJson(request)) throw error;
      return show(request, reply, { password: error.message }, 422);
    }
  });
}
