import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { announceSessionsEnded } from "../../platform/sessions-ended-job.js";
import { SessionDevices } from "../../session/session-devices.js";
import { sessionNotFound } from "../../session/session-not-found.js";
import { wantsJson } from "../error-response.js";
import { csrfField } from "../form.js";
import { html } from "../html.js";
import { flash } from "../page-renderer.js";
import { requireAuth } from "../require-auth.js";
import { sessionDevicesTable } from "../session-devices-view.js";
import type { AuthRouteContext } from "./auth-context.js";

const HANDLE = /^[A-Za-z0-9_-]{22}$/;

/**
 * "Your devices": the account page's card listing every session of the user on
 * every app (this one marked), each with an End button, and "Sign out everywhere".
 * Ending takes the session's opaque handle, and only ever ends one of the
 * signed-in user's own sessions.
 */
export function registerDeviceRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const devices = new SessionDevices(platform.sessions, platform.config);

  ctx.accountSections.add(async (request, csrf) => {
    const user = request.user;
    if (user === null) return html``;
    const list = await devices.list(String(user.id));
    return html`<section class="card devices" aria-labelledby="devices-h">
    <h2 id="devices-h">Your devices</h2>
    <p>You are signed in on ${list.length} ${list.length === 1 ? "device" : "devices"}.</p>
    ${sessionDevicesTable({
      devices: list,
      csrf,
      current: request.session.handle,
      endAction: (handle) => `/account/sessions/${handle}/end`,
    })}
    <form method="post" action="/logout-everywhere">
      ${csrfField(csrf)}
      <button class="danger" type="submit">Sign out everywhere</button>
    </form>
  </section>`;
  });

  app.post<{ Params: { id: string } }>(
    "/account/sessions/:id/end",
    { preHandler: requireAuth },
    async (request, reply) => endOne(request, reply),
  );

  const endOne = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = request.user;
    if (user === null) return reply;
    const handle = request.params.id;
    const current = request.session.handle === handle;
    const ended = HANDLE.test(handle) ? await devices.end(String(user.id), handle) : null;
    if (ended === null) {
      if (wantsJson(request)) throw sessionNotFound();
      await flash(request, "error", sessionNotFound().message);
      return reply.redirect("/account", 303);
    }
    await platform.accountEvents.record({
      type: "session.ended",
      userId: user.id,
      ip: request.ip,
      app: platform.config.app.id,
      detail: { sessionApp: ended.app },
    });
    await announceSessionsEnded(platform, { userId: user.id, handles: [handle], reason: "ended-by-user" });
    if (current) {
      // Ending this device is signing out here.
      await request.session.destroy();
      return wantsJson(request) ? reply.status(204).send() : reply.redirect("/login", 303);
    }
    if (wantsJson(request)) return reply.status(204).send();
    await flash(request, "success", `Signed out ${ended.browser} on ${ended.os}.`);
    return reply.redirect("/account", 303);
  };
}
