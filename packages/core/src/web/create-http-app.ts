import formbody from "@fastify/formbody";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { appOrigins } from "../config/app-origins.js";
import type { MargConfig } from "../config/index.js";
import { enterRequestScope } from "../context/index.js";
import { createLogger } from "../logging/index.js";
import { AccessLogController } from "./access-log.js";
import { createErrorResponder, installErrorHandlers } from "./error-handler.js";
import { renderDefaultErrorPage } from "./error-page.js";
import { createProxyTrust } from "./proxy-trust.js";
import { createRequestIdGenerator } from "./request-id.js";
import { applyStandardHeaders, contentSecurityPolicy } from "./standard-headers.js";
import type { HttpAppOptions } from "./types.js";

/**
 * A Fastify 5 instance set up the MARG way: pino logging, one access-log line
 * per request, request ids (kept from a trusted proxy, else generated; echoed in
 * X-Request-Id), X-Forwarded-For believed only from TRUSTED_PROXIES, BODY_LIMIT, form bodies,
 * the seed's security headers, a request scope (AsyncLocalStorage) around
 * every handler, and one error handler that answers JSON or HTML.
 * Add routes, then `listen()` it or hand it to `createHostRouter`.
 *
 * @example
 * const app = createHttpApp(config);
 * app.get("/hello", async () => ({ hello: currentRequestScope()?.requestId }));
 * await app.listen({ host: config.http.host, port: config.http.port });
 */
export function createHttpApp(config: MargConfig, options: HttpAppOptions = {}): FastifyInstance {
  const isTrustedProxy = createProxyTrust(config.http.trustedProxies);
  const errorOptions = {
    appName: config.app.name,
    debug: config.app.debug,
    serverErrorDetails: !config.app.production && config.app.env !== "staging",
    renderErrorPage: options.renderErrorPage ?? renderDefaultErrorPage,
  };
  const respond = createErrorResponder(errorOptions);
  const ownOrigin = URL.canParse(config.app.url) ? new URL(config.app.url).origin : "";
  const csp = contentSecurityPolicy([...appOrigins(config).keys()].filter((origin) => origin !== ownOrigin));
  const logger: FastifyBaseLogger = options.logger ?? createLogger(config);
  const app: FastifyInstance = Fastify({
    loggerInstance: logger,
    // One line per request (method, url, status, time), not Fastify's two.
    logController: new AccessLogController(),
    genReqId: createRequestIdGenerator(isTrustedProxy),
    trustProxy: (address: string) => isTrustedProxy(address),
    bodyLimit: config.http.bodyLimit,
    // Idle keep-alive sockets are closed on shutdown, so they never hold it open.
    forceCloseConnections: "idle",
    return503OnClosing: true,
    // Errors Fastify raises before any hook runs (a malformed URL) get the same treatment.
    frameworkErrors: (error, request, reply) => respond(error, request, reply),
  });

  // A callback-style hook: the scope entered here is the async context the
  // handler runs in (an async hook would enter it in a promise that is left behind).
  app.addHook("onRequest", (request, reply, done) => {
    applyStandardHeaders(request, reply, csp);
    enterRequestScope(request.id);
    done();
  });
  app.register(formbody, { bodyLimit: config.http.bodyLimit });
  installErrorHandlers(app, respond, errorOptions);
  return app;
}
