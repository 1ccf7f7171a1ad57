import { isMargError } from "@marg/core/errors";
import { errorFieldErrors, flash, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { type InviteFormValues, userInviteView } from "./invite-view.js";
import { inviteUserSchema } from "./schemas.js";

/** "Invite by email" (users.manage): mails a single-use link to create an account with chosen roles. */
export function registerUserInviteRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { pages, guards, services } = ctx;
  const manage = guards.requirePermission("users.manage");

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: InviteFormValues,
    errors: Record<string, string>,
    status = 200,
  ) =>
    pages.page(request, reply, {
      title: "Invite by email",
      status,
      current: "/users",
      body: userInviteView({
        csrf: await request.session.csrfToken(),
        values,
        errors,
        roles: await services.invites.grantableRoles(request.user?.id ?? 0),
      }),
    });

  app.get("/users/invite", { preHandler: manage }, async (request, reply) =>
    showForm(request, reply, {}, {}),
  );

  app.post("/users/invite", { preHandler: manage }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const input = validateForm(inviteUserSchema, body);
    const values: InviteFormValues = {
      email: typeof body.email === "string" ? body.email : "",
      roles: input.ok ? input.data.roles : [],
    };
    if (!input.ok) return showForm(request, reply, values, input.fields, 422);
    try {
      const invitation = await services.invites.invite(actorOf(request), input.data);
      await flash(
        request,
        "success",
        `An invitation is on its way to ${invitation.email}; its link works once, for 7 days.`,
      );
      return reply.redirect("/users", 303);
    } catch (error) {
      const fields = isMargError(error) ? errorFieldErrors(error) : undefined;
      if (fields === undefined || !isMargError(error)) throw error;
      return showForm(request, reply, values, fields, error.status === 404 ? 422 : error.status);
    }
  });
}
