import type { FastifyReply, FastifyRequest } from "fastify";
import { renderDefaultErrorPage, titleForStatus } from "./error-page.js";
import { applyStandardHeaders } from "./standard-headers.js";
import type { ErrorPageContext, HttpErrorView, RenderErrorPage } from "./types.js";

/**
 * JSON for API clients (anything under /api/, or asking for JSON without
 * asking for HTML, or posting JSON); HTML for browsers, which always list text/html.
 */
export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split("?", 1)[0] ?? "";
  if (path === "/api" || path.startsWith("/api/")) return true;
  const accept = String(request.headers.accept ?? "").toLowerCase();
  if (accept.includes("text/html")) return false;
  if (/[/+]json\b/.test(accept)) return true;
  return /[/+]json\b/.test(String(request.headers["content-type"] ?? "").toLowerCase());
}

export interface ErrorResponseOptions {
  readonly appName: string;
  readonly renderErrorPage: RenderErrorPage;
}

/** Sends `view` as `{"error":{code,message,requestId,fields?}}` or as an HTML page. */
export function sendErrorView(
  request: FastifyRequest,
  reply: FastifyReply,
  view: HttpErrorView,
  options: ErrorResponseOptions & { debugStack?: string },
): FastifyReply {
  applyStandardHeaders(request, reply);
  reply.code(view.status);
  if (wantsJson(request)) {
    const error = {
      code: view.code,
      message: view.message,
      requestId: request.id,
      ...(view.fields && { fields: view.fields }),
    };
    return reply.type("application/json; charset=utf-8").send({ error });
  }
  const context: ErrorPageContext = {
    status: view.status,
    code: view.code,
    title: titleForStatus(view.status),
    message: view.message,
    requestId: request.id,
    appName: options.appName,
    ...(view.fields && { fields: view.fields }),
    ...(options.debugStack !== undefined && { debugStack: options.debugStack }),
  };
  let html: string;
  try {
    html = options.renderErrorPage(context);
  } catch (renderError) {
    // A broken custom page must not turn every error into a hung request.
    request.log.error({ err: renderError }, "renderErrorPage failed; used the default error page");
    html = renderDefaultErrorPage(context);
  }
  return reply.type("text/html; charset=utf-8").send(html);
}
