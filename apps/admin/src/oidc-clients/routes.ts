import { isMargError } from "@marg/core/errors";
import { isClientIdShape, OIDC_ERRORS } from "@marg/core/oidc";
import { errorFieldErrors, flash } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { readOidcClientForm } from "./form.js";
import { type OidcClientFormValues, oidcClientListView, oidcClientSecretView } from "./views.js";

/** The client id in the URL, or undefined when it cannot name a client. */
function clientIdOf(params: unknown): string | undefined {
  const raw = (params as { clientId?: unknown }).clientId;
  return typeof raw === "string" && isClientIdShape(raw) ? raw : undefined;
}

/**
 * Sign-in (OIDC) clients: list and create, rotate a secret, delete. A secret is
 * shown once, on a page sent `no-store` (no cache, no back-button copy).
 */
export function registerOidcClientRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, pages, guards, services } = ctx;
  const manage = guards.requirePermission("oidc-clients.manage");

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: OidcClientFormValues,
    errors: Record<string, string>,
    status = 200,
  ) =>
    pages.page(request, reply, {
      title: "Sign-in clients",
      status,
      current: "/oidc-clients",
      body: oidcClientListView({
        csrf: await request.session.csrfToken(),
        clients: await services.oidcClients.list(),
        apps: platform.config.app.apps,
        values,
        errors,
      }),
    });

  app.get("/oidc-clients", { preHandler: manage }, async (request, reply) =>
    showList(request, reply, {}, {}),
  );

  app.post("/oidc-clients", { preHandler: manage }, async (request, reply) => {
    const { values, input } = readOidcClientForm(request.body);
    try {
      const { client, secret } = await services.oidcClients.create(actorOf(request), input);
      if (secret === null) {
        await flash(
          request,
          "success",
          `${client.name} is registered as a public client: it signs in with PKCE, no secret.`,
        );
        return reply.redirect("/oidc-clients", 303);
      }
      reply.header("cache-control", "no-store");
      return pages.page(request, reply, {
        title: `${client.name} is registered`,
        current: "/oidc-clients",
        body: oidcClientSecretView({ client, secret, rotated: false }),
      });
    } catch (error) {
      // Only the registry's own refusals become field errors; anything else is a real failure.
      if (!isMargError(error) || !(error.code in OIDC_ERRORS)) throw error;
      const fields = errorFieldErrors(error) ?? { clientId: error.message };
      return showList(request, reply, values, fields, error.status);
    }
  });

  app.post("/oidc-clients/:clientId/rotate-secret", { preHandler: manage }, async (request, reply) => {
    // A URL that cannot name a client is treated as the registry treats an unknown one.
    const clientId = clientIdOf(request.params) ?? "";
    try {
      const { client, secret } = await services.oidcClients.rotateSecret(actorOf(request), clientId);
      reply.header("cache-control", "no-store");
      return pages.page(request, reply, {
        title: `New secret for ${client.name}`,
        current: "/oidc-clients",
        body: oidcClientSecretView({ client, secret, rotated: true }),
      });
    } catch (error) {
      if (!isMargError(error) || !(error.code in OIDC_ERRORS)) throw error;
      await flash(request, "error", error.message);
      return reply.redirect("/oidc-clients", 303);
    }
  });

  app.post("/oidc-clients/:clientId/delete", { preHandler: manage }, async (request, reply) => {
    const clientId = clientIdOf(request.params);
    const deleted =
      clientId === undefined ? null : await services.oidcClients.delete(actorOf(request), clientId);
    await flash(
      request,
      deleted === null ? "error" : "success",
      deleted === null
        ? "There is no such sign-in client: it may have been deleted already."
        : `${deleted.name} (${deleted.clientId}) is deleted: it can no longer sign anyone in.`,
    );
    return reply.redirect("/oidc-clients", 303);
  });
}
