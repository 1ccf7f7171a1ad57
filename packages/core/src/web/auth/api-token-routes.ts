import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseApiTokenExpiry } from "../../auth/api-tokens/api-token-expiry.js";
import { isMargError } from "../../errors/marg-error.js";
import { wantsJson } from "../error-response.js";
import { flash } from "../page-renderer.js";
import { requireAuth } from "../require-auth.js";
import { apiTokensCard, newApiTokenView } from "./api-token-views.js";
import { type AuthRouteContext, bodyField } from "./auth-context.js";

/** A form field that may come once (a string) or ticked several times (an array). */
function bodyList(body: unknown, name: string): string[] {
  if (typeof body !== "object" || body === null) return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** What the user may hand to a token as ticked boxes: what they hold, in any app. */
async function heldPermissions(request: FastifyRequest): Promise<string[]> {
  const held = await request.permissions();
  if (held === null) return [];
  if (held.superAdmin) return ["*"];
  return [...new Set(held.source.grants.map((grant) => grant.permission))];
}

/**
 * The account page's API tokens: its card, `POST /account/tokens` (the token is shown
 * on the answer page, once, and kept nowhere) and `POST /account/tokens/:id/revoke`.
 * Each records token.created / token.revoked; never the token.
 */
export function registerApiTokenRoutes(app: FastifyInstance, ctx: AuthRouteContext): void {
  const { platform } = ctx;
  const tokens = platform.accounts.tokens;

  ctx.accountSections.add(async (request, csrf) => {
    const user = request.user;
    if (user === null) return apiTokensCard({ csrf, tokens: [], held: [], apps: [] });
    return apiTokensCard({
      csrf,
      tokens: await tokens.list(user.id),
      held: await heldPermissions(request),
      apps: platform.config.app.apps,
    });
  });

  const refuse = async (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!isMargError(error) || !error.code.startsWith("E_AUTH_TOKEN_") || wantsJson(request)) throw error;
    await flash(request, "error", error.message);
    return reply.redirect("/account", 303);
  };

  app.post("/account/tokens", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    const typed = (bodyField(request.body, "permissions_text") ?? "").split(/[\s,]+/);
    const apps = bodyList(request.body, "apps");
    try {
      const expiresAt = parseApiTokenExpiry(bodyField(request.body, "expires"));
      const { token, record } = await tokens.create(user.id, {
        name: bodyField(request.body, "name") ?? "",
        permissions: [...bodyList(request.body, "permissions"), ...typed],
        apps: apps.length === 0 ? null : apps,
        expiresAt: expiresAt ?? null,
      });
      await platform.accountEvents.record({
        type: "token.created",
        userId: user.id,
        ip: request.ip,
        app: platform.config.app.id,
        detail: { tokenId: record.id, name: record.name, permissions: record.permissions.join(",") },
      });
      reply.header("cache-control", "no-store");
      return ctx.pages.page(request, reply, {
        title: "Your new API token",
        body: newApiTokenView({ token, record }),
      });
    } catch (error) {
      return refuse(request, reply, error);
    }
  });

  app.post("/account/tokens/:id/revoke", { preHandler: requireAuth }, async (request, reply) => {
    const user = request.user;
    if (user === null) return reply;
    const id = Number((request.params as { id?: string }).id);
    const revoked = Number.isSafeInteger(id) && id > 0 && (await tokens.revoke(id, user.id));
    if (revoked) {
      await platform.accountEvents.record({
        type: "token.revoked",
        userId: user.id,
        ip: request.ip,
        app: platform.config.app.id,
        detail: { tokenId: id },
      });
    }
    await flash(
      request,
      revoked ? "success" : "error",
      revoked ? "Token revoked." : "No such live token of yours.",
    );
    return reply.redirect("/account", 303);
  });
}
