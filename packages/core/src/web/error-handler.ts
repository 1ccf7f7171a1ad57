import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendErrorView } from "./error-response.js";
import { toHttpError, viewFor } from "./http-error-mapping.js";
import type { RenderErrorPage } from "./types.js";

export interface ErrorHandlingOptions {
  readonly appName: string;
  /** Local APP_DEBUG: show the real message and stack of 500s. Never true in production. */
  readonly debug: boolean;
  /**
   * Show a 5xx MargError's own message (where MySQL is, which variable to fix) to the
   * client. Off in production and staging, where the client is an end user: the page
   * says the service is unavailable and the log keeps the details under the request id.
   */
  readonly serverErrorDetails: boolean;
  readonly renderErrorPage: RenderErrorPage;
}

/**
 * The one place a failed request becomes a response: maps the error, logs it
 * (5xx at error level with the request id, 4xx at info) and renders JSON or HTML.
 */
export function createErrorResponder(options: ErrorHandlingOptions) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const view = toHttpError(error, { debug: options.debug, serverErrorDetails: options.serverErrorDetails });
    if (view.internal) {
      request.log.error({ err: error, code: view.code }, `${request.method} ${request.url} failed`);
    } else {
      request.log.info({ code: view.code, status: view.status }, view.message);
    }
    const debugStack = options.debug && view.internal && error instanceof Error ? error.stack : undefined;
    return sendErrorView(request, reply, view, { ...options, ...(debugStack && { debugStack }) });
  };
}

/** Installs the error and not-found handlers on the root instance (plugins inherit them). */
export function installErrorHandlers(
  app: FastifyInstance,
  respond: ReturnType<typeof createErrorResponder>,
  options: ErrorHandlingOptions,
): void {
  app.setErrorHandler((error, request, reply) => respond(error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendErrorView(request, reply, viewFor("E_HTTP_NOT_FOUND"), options),
  );
}
