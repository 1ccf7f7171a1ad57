import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { AuthenticatedApiToken } from "../../auth/api-tokens/api-token-cache.js";
import { MargError } from "../../errors/marg-error.js";
import { readCookieValues } from "../../session/session-cookie.js";
import { isApiPath } from "../api-token-request.js";
import { PLUGIN } from "./plugin-names.js";

export interface BearerTokenPluginOptions {
  /** `platform.accounts.tokens`: a presented token's record, or its typed error. */
  readonly tokens: { authenticate(token: string, appId: string): Promise<AuthenticatedApiToken> };
  /** The app this server is: a token limited to other apps is refused here. */
  readonly appId: string;
  /** SESSION_COOKIE: a request carrying it and a token is refused. */
  readonly sessionCookie: string;
}

const BEARER = /^Bearer(?:\s+(\S*))?\s*$/i;

function tokenWithCookie(): MargError {
  return new MargError(
    "E_AUTH_TOKEN_WITH_COOKIE",
    "This request carries a session cookie and a bearer token; send only one. Scripts send the token without cookies.",
    { status: 400 },
  );
}

/**
 * `Authorization: Bearer marg_pat_…` on /api/v1: the token's holder becomes
 * `request.user` and `request.apiToken` the token, so `request.can()`, the RBAC
 * guards and `request.permissions()` answer with what both the holder and the token
 * allow (request-permissions.ts), and the CSRF check is skipped (a browser never
 * sends the header by itself, so no other site can make it). A bad token ends the
 * request in onRequest, before the body is read, with its own 401/403 code. Other
 * paths ignore the header: pages and forms are the session's. A request with a
 * session cookie and a token is refused (400): which user would it be?
 */
const bearerToken: FastifyPluginCallback<BearerTokenPluginOptions> = (app, options, done) => {
  app.decorateRequest("apiToken", null);
  app.addHook("onRequest", (request: FastifyRequest, reply: FastifyReply, next: (error?: Error) => void) => {
    const header = request.headers.authorization;
    if (header === undefined || !isApiPath(request.url)) {
      next();
      return;
    }
    // Another scheme (a proxy's Basic auth) is not ours to judge.
    const match = BEARER.exec(header);
    if (match === null) {
      next();
      return;
    }
    if (readCookieValues(request.headers.cookie, options.sessionCookie).length > 0) {
      next(tokenWithCookie());
      return;
    }
    options.tokens.authenticate(match[1] ?? "", options.appId).then(
      (token) => {
        request.apiToken = token;
        next();
      },
      (error: unknown) => {
        if (error instanceof MargError && error.status === 401) {
          reply.header("www-authenticate", 'Bearer realm="marg", error="invalid_token"');
        }
        next(error as Error);
      },
    );
  });
  // After marg-current-user's preHandler, which knows only sessions.
  app.addHook("preHandler", (request, _reply, next) => {
    const token = request.apiToken;
    if (token !== null) request.user = token.holder;
    next();
  });
  done();
};

export const bearerTokenPlugin = fastifyPlugin(bearerToken, {
  name: PLUGIN.bearerToken,
  fastify: "5.x",
  dependencies: [PLUGIN.session, PLUGIN.currentUser],
  decorators: { request: ["session", "user"] },
});
