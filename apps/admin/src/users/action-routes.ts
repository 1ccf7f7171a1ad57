import { isMargError, MargError } from "@marg/core/errors";
import { flash, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAccessRefusal } from "../access/service.js";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { idParam } from "../shared/route-params.js";
import { permissionFieldSchema, roleFieldSchema } from "./schemas.js";

/**
 * The buttons of a user's page. Each POST does one audited change, then goes back
 * to the page with a message; a refused change (your own account, an unknown
 * role) is a message too. A refusal of the access-change policy (more than you
 * hold, a super-admin's account) is the 403/409 error page with its reason.
 */
export function registerUserActionRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { guards, services } = ctx;
  const manageUsers = guards.requirePermission("users.manage");
  const manageRoles = guards.requirePermission("roles.manage");

  /** Runs `change` for the user in the URL and redirects back with its message (or the refusal). */
  const act = async (
    request: FastifyRequest,
    reply: FastifyReply,
    change: (id: number) => Promise<string>,
  ): Promise<FastifyReply> => {
    const id = idParam(request.params);
    try {
      await flash(request, "success", await change(id));
    } catch (error) {
      // A refusal of the access policy is answered as what it is (403/409 page), not a note on the page.
      if (!isMargError(error) || error.status >= 500 || isAccessRefusal(error)) throw error;
      if (error.code === "E_AUTH_USER_NOT_FOUND") throw error;
      await flash(request, "error", error.message);
    }
    return reply.redirect(`/users/${id}`, 303);
  };

  const field = <K extends "role" | "permission">(request: FastifyRequest, key: K): string => {
    const schema = key === "role" ? roleFieldSchema : permissionFieldSchema;
    const parsed = validateForm(schema, request.body);
    if (!parsed.ok) throw invalidField(key, parsed.fields[key] ?? "Choose one from the list.");
    return (parsed.data as Record<K, string>)[key];
  };

  app.post("/users/:id/disable", { preHandler: manageUsers }, (request, reply) =>
    act(request, reply, async (id) => {
      const { user, sessionsEnded } = await services.users.disable(actorOf(request), id);
      return `${user.name} is disabled; ${sessionsEnded} open ${sessionsEnded === 1 ? "session was" : "sessions were"} ended.`;
    }),
  );

  app.post<{ Params: { id: string; handle: string } }>(
    "/users/:id/sessions/:handle/end",
    { preHandler: manageUsers },
    (request, reply) =>
      act(request, reply, async (id) => {
        const ended = await services.users.endSession(actorOf(request), id, request.params.handle);
        return `Ended the session of ${ended.browser} on ${ended.os}: signed out on every app.`;
      }),
  );

  app.post("/users/:id/reset-two-factor", { preHandler: manageUsers }, (request, reply) =>
    act(request, reply, async (id) => {
      const { user, reset } = await services.users.resetTwoFactor(actorOf(request), id);
      if (!reset.totpRemoved && reset.passkeysRemoved === 0 && reset.recoveryCodesRemoved === 0)
        return `Nothing to do: ${user.name} had no two-factor sign-in.`;
      return `Two-factor sign-in of ${user.name} is off (${removedParts(reset).join(", ")} removed): their password alone signs in until they set it up again.`;
    }),
  );

  app.post("/users/:id/enable", { preHandler: manageUsers }, (request, reply) =>
    act(request, reply, async (id) => {
      const user = await services.users.enable(actorOf(request), id);
      return `${user.name} is enabled and can sign in again.`;
    }),
  );

  app.post("/users/:id/reset-password", { preHandler: manageUsers }, (request, reply) =>
    act(request, reply, async (id) => {
      const user = await services.users.sendPasswordReset(actorOf(request), id);
      return `A password-reset link was mailed to ${user.email}.`;
    }),
  );

  app.post("/users/:id/roles", { preHandler: manageRoles }, (request, reply) =>
    act(request, reply, async (id) => {
      const role = field(request, "role");
      const { changed } = await services.rbacAdmin.assignRole(actorOf(request), id, role);
      return changed ? `Role ${role} assigned.` : `The user already had the role ${role}.`;
    }),
  );

  app.post("/users/:id/roles/remove", { preHandler: manageRoles }, (request, reply) =>
    act(request, reply, async (id) => {
      const role = field(request, "role");
      const { changed } = await services.rbacAdmin.unassignRole(actorOf(request), id, role);
      return changed ? `Role ${role} removed.` : `The user did not have the role ${role}.`;
    }),
  );

  app.post("/users/:id/permissions", { preHandler: manageRoles }, (request, reply) =>
    act(request, reply, async (id) => {
      const permission = field(request, "permission");
      const { changed } = await services.rbacAdmin.grantToUser(actorOf(request), id, permission);
      return changed ? `Permission ${permission} granted.` : `The user already had ${permission} directly.`;
    }),
  );

  app.post("/users/:id/permissions/remove", { preHandler: manageRoles }, (request, reply) =>
    act(request, reply, async (id) => {
      const permission = field(request, "permission");
      const { changed } = await services.rbacAdmin.revokeFromUser(actorOf(request), id, permission);
      return changed ? `Permission ${permission} revoked.` : `The user did not have ${permission} directly.`;
    }),
  );
}

/** "the authenticator app, 10 recovery codes, 2 passkeys", only what was there. */
function removedParts(reset: {
  totpRemoved: boolean;
  recoveryCodesRemoved: number;
  passkeysRemoved: number;
}): string[] {
  const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
  return [
    ...(reset.totpRemoved ? ["the authenticator app"] : []),
    ...(reset.recoveryCodesRemoved > 0 ? [plural(reset.recoveryCodesRemoved, "recovery code")] : []),
    ...(reset.passkeysRemoved > 0 ? [plural(reset.passkeysRemoved, "passkey")] : []),
  ];
}

function invalidField(key: string, message: string): MargError {
  return new MargError("E_VALIDATION", message, { status: 422, details: { fields: { [key]: message } } });
}
