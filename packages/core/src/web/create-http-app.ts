import formbody from "@fastify/formbody";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { appOrigins } from "../config/app-origins.js";
import type { MargConfig } from "../config/index.js";
import { createLogger } from "../logging/index.js";
import { AccessLogController, requestLoggerFactory } from "./access-log.js";
import { createErrorResponder, installErrorHandlers } from "./error-handler.js";
import { renderDefaultErrorPage } from "./error-page.js";
import { requestScopePlugin } from "./plugins/request-scope-plugin.js";
import { standardHeadersPlugin } from "./plugins/standard-headers-plugin.js";
import { createProxyTrust } from "./proxy-trust.js";
import { createRequestIdGenerator } from "./request-id.js";
import { contentSecurityPolicy } from "./standard-headers.js";
import type { HttpAppOptions } from "./types.js";

/**
 * A Fastify 5 instance set up the MARG way: pino logging, one access-log line
 * per request, request ids (kept from a trusted proxy, else generated; echoed in
 * X-Request-Id), X-Forwarded-For believed only from TRUSTED_PROXIES, BODY_LIMIT, form bodies,
 * the seed's security headers, a request scope (AsyncLocalStorage) around
 * every handler, and one error handler that answers JSON or HTML. The access log is
 * Fastify's LogController, given when the instance is built: no plugin can set it,
 * and a hook would miss the errors Fastify raises before any hook runs.
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
    // One line per request (method, url, status, time), not Fastify's two, written by
    // the root logger; `request.log` becomes a pino child only when a handler logs.
    logController: new AccessLogController(logger),
    childLoggerFactory: requestLoggerFactory,
    genReqId: createRequestIdGenerator(isTrustedProxy),
    trustProxy: (address: string) => isTrustedProxy(address),
    bodyLimit: config.http.bodyLimit,
    // Idle keep-alive sockets are closed on shutdown, so they never hold it open.
    forceCloseConnections: "idle",
    return503OnClosing: true,
    // Errors Fastify raises before any hook runs (a malformed URL) get the same treatment,
    // and the identity headers the standard-headers hook gives every other answer.
    frameworkErrors: (error, request, reply) => {
      if (options.identityHeaders !== undefined) reply.headers(options.identityHeaders);
      return respond(error, request, reply);
    },
  });

  // First in the request path: every later hook's error carries the headers, and runs in the scope.
  app.register(standardHeadersPlugin, {
    csp,
    ...(options.identityHeaders && { identity: options.identityHeaders }),
  });
  app.register(requestScopePlugin, {
    always: Object.values(config.db.connections).some((connection) => connection.readHosts.length > 0),
  });
  app.register(formbody, { bodyLimit: config.http.bodyLimit });
  installErrorHandlers(app, respond, errorOptions);
  return app;
}
