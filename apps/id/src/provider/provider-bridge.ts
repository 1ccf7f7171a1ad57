import type { PageRenderer } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { originsOf, widenFormAction } from "./form-action.js";
import { attachMargRequest } from "./marg-request.js";
import { OIDC_ROUTES, PROVIDER_PATHS } from "./oidc-settings.js";
import type { ProviderRuntime } from "./provider-runtime.js";

export interface ProviderBridgeDeps {
  readonly runtime: ProviderRuntime;
  readonly pages: PageRenderer;
  /** Ends the MARG session of a request (the account event included). */
  readonly signOut: (request: FastifyRequest) => Promise<void>;
}

/**
 * Mounts oidc-provider (a Koa app) on the id app's Fastify: each provider path is a
 * Fastify route, so the request path (security headers, session, current user,
 * rate limits) runs first, then the raw request goes to the provider, which
 * answers on the raw response (`reply.hijack()`). In this scope Fastify reads no
 * body (the provider parses its own) and the CSRF token and origin guard are off:
 * these endpoints are called by clients' servers and SPAs on other origins and
 * are protected by OAuth itself (client authentication, PKCE, the provider's own
 * xsrf token on the sign-out form).
 */
export async function registerProviderBridge(app: FastifyInstance, deps: ProviderBridgeDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null, undefined));
    for (const url of PROVIDER_PATHS) {
      scope.route({
        method: ["GET", "POST", "OPTIONS"],
        url,
        config: { csrf: false, originGuard: false },
        handler: (request, reply) => handOver(request, reply, deps),
      });
    }
  });
}

async function handOver(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ProviderBridgeDeps,
): Promise<void> {
  const { handler, issuer } = await deps.runtime.current();
  attachMargRequest(request.raw, {
    userId: request.user?.id ?? null,
    handle: request.session.handle,
    renderPage: (options) => deps.pages.html(request, options),
    signOut: () => deps.signOut(request),
  });
  // The headers Fastify's hooks set (CSP, X-Frame-Options, request id…) go on the provider's answer too.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(name, value);
  }
  widenForLogout(request, reply);
  // The provider builds its URLs from these (provider.proxy is on): always the issuer's, whatever the Host said.
  request.raw.headers["x-forwarded-proto"] = issuer.protocol.slice(0, -1);
  request.raw.headers["x-forwarded-host"] = issuer.host;
  request.raw.headers["x-forwarded-for"] = request.ip;
  reply.hijack();
  await handler(request.raw, reply.raw);
}

/** The sign-out question's form ends at the client's post-logout URI (checked by the provider before it renders). */
function widenForLogout(request: FastifyRequest, reply: FastifyReply): void {
  if (request.routeOptions.url !== OIDC_ROUTES.end_session) return;
  const query = request.query as Record<string, unknown>;
  const target = query.post_logout_redirect_uri;
  const csp = reply.raw.getHeader("content-security-policy");
  if (typeof target === "string" && typeof csp === "string") {
    reply.raw.setHeader("content-security-policy", widenFormAction(csp, originsOf([target])));
  }
}
