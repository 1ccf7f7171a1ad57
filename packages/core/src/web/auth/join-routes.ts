import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AccountInvitation } from "../../auth/account-invitation-service.js";
import { invitationInvalid } from "../../auth/account-invitation-service.js";
import { assertRegistrationOpen, parseSignUpEmail } from "../../auth/registration-policy.js";
import { isMargError, type MargError } from "../../errors/marg-error.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { type AuthRouteContext, bodyField, queryParam } from "./auth-context.js";
import { joinInvalidView, joinView } from "./auth-views.js";
import { completeSignIn } from "./two-factor-sign-in.js";

const FIELD_OF: Readonly<Record<string, string>> = {
  E_AUTH_NAME_INVALID: "name",
  E_AUTH_PASSWORD_WEAK: "password",
};

/**
 * `/join?token=…`: where a sign-up or invitation link lands, on every app. The owner
 * of the address chooses a name and a password; only then does the account exist,
 * with the roles of the invitation (or REGISTRATION_ROLE for a sign-up), and it is
 * signed in. Invitations work whether or not sign-up is open; a sign-up link only
 * while it is, and only for an address REGISTRATION_DOMAINS still accepts.
 */
export function registerJoinRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;

  /** The open invitation of a token, with the sign-up rules applied as they are now. */
  const openInvitation = async (token: unknown): Promise<AccountInvitation> => {
    const invitation = await platform.invitations.find(token);
    if (invitation === null) throw invitationInvalid();
    if (invitation.purpose === "signup") {
      assertRegistrationOpen(platform.config.auth);
      parseSignUpEmail(invitation.email, platform.config.auth);
    }
    return invitation;
  };

  const showInvalid = (request: FastifyRequest, reply: FastifyReply, error: MargError) =>
    ctx.pages.page(request, reply, {
      title: "This link cannot be used",
      status: error.status,
      body: joinInvalidView(error.message),
    });

  app.get("/join", async (request, reply) => {
    keepTokenPrivate(reply);
    const token = queryParam(request.query, "token") ?? "";
    let invitation: AccountInvitation;
    try {
      invitation = await openInvitation(token);
    } catch (error) {
      if (!isMargError(error) || wantsJson(request)) throw error;
      return showInvalid(request, reply, error);
    }
    return ctx.pages.page(request, reply, {
      title: "Set up your account",
      body: joinView({
        csrf: await request.session.csrfToken(),
        token,
        email: invitation.email,
        values: {},
        errors: {},
      }),
    });
  });

  app.post("/join", async (request, reply) => {
    keepTokenPrivate(reply);
    const token = bodyField(request.body, "token") ?? "";
    const name = bodyField(request.body, "name") ?? "";
    let invitation: AccountInvitation | undefined;
    try {
      invitation = await openInvitation(token);
      const accepted = await platform.invitations.accept(token, {
        name,
        password: bodyField(request.body, "password") ?? "",
      });
      await grantRoles(ctx, accepted.user.id, rolesOf(ctx, accepted.invitation));
      // The link proved the inbox and set the password: the account's first sign-in, recorded as one.
      await completeSignIn(ctx, request, accepted.user, "invitation");
      if (wantsJson(request)) return reply.status(201).send({ user: request.user });
      await flash(request, "success", `Welcome, ${accepted.user.name}.`);
      return reply.redirect("/account", 303);
    } catch (error) {
      if (!isMargError(error) || wantsJson(request)) throw error;
      const field = FIELD_OF[error.code];
      if (field === undefined || invitation === undefined) return showInvalid(request, reply, error);
      return ctx.pages.page(request, reply, {
        title: "Set up your account",
        status: error.status,
        body: joinView({
          csrf: await request.session.csrfToken(),
          token,
          email: invitation.email,
          values: { name },
          errors: { [field]: error.message },
        }),
      });
    }
  });
}

/** The token is in the page's URL and form: keep it out of caches and of Referer headers. */
function keepTokenPrivate(reply: FastifyReply): void {
  reply.header("cache-control", "no-store");
  reply.header("referrer-policy", "no-referrer");
}

/** An invitation's chosen roles; for a sign-up, REGISTRATION_ROLE as configured now (or none). */
function rolesOf(ctx: AuthRouteContext, invitation: AccountInvitation): readonly string[] {
  if (invitation.purpose === "invite") return invitation.roles;
  const role = ctx.platform.config.auth.registrationRole;
  return role === undefined ? [] : [role];
}

/** Assigns the roles that exist; a missing one is logged for the operator, not fatal for the new account. */
async function grantRoles(ctx: AuthRouteContext, userId: number, roles: readonly string[]): Promise<void> {
  if (roles.length === 0) return;
  const existing = new Set((await ctx.platform.rbac.listRoles()).map((role) => role.name));
  for (const role of roles) {
    if (existing.has(role)) await ctx.platform.rbac.assign(userId, role);
    else ctx.platform.logger.warn({ userId, role }, "new account's role does not exist; assign one by hand");
  }
}
