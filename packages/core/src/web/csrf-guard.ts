import type { FastifyReply, FastifyRequest } from "fastify";
import type {} from "./api-token-request.js";
import { checkCsrfInMultipartField } from "./multipart-csrf.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function tokenFrom(request: FastifyRequest): string | undefined {
  const header = request.headers["x-csrf-token"];
  if (typeof header === "string") return header;
  const body = request.body;
  if (typeof body === "object" && body !== null && "_csrf" in body) {
    const value = (body as Record<string, unknown>)._csrf;
    if (typeof value === "string") return value;
  }
  // Never from the URL: a token there reaches access logs, proxies and browser history.
  return undefined;
}

/**
 * Every state-changing request must carry the session's CSRF token, in the form
 * field `_csrf` or the `X-CSRF-Token` header. A plain double-submit cookie would
 * not do: any sibling subdomain can set cookies on the parent domain, and
 * SameSite treats every subdomain as the same site. Nor is this token enough on
 * its own: a sibling can plant a session of its own whose token it knows, so the
 * origin guard (origin-guard.ts) refuses cross-origin requests and requests with
 * two session cookies first. Runs as a preHandler, after the body is parsed. Login forms are covered too: the token belongs to the
 * pre-login session, which sign-in replaces.
 */
export function csrfGuard(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: (error?: Error) => void,
): void {
  // Callback style: a GET, most of the traffic, passes without a promise.
  const config = request.routeOptions.config as { csrf?: boolean | "multipart-field" } | undefined;
  // A bearer token is sent by its script, never by a browser on its own: nothing to forge.
  if (SAFE_METHODS.has(request.method) || config?.csrf === false || request.apiToken != null) {
    done();
    return;
  }
  const token = tokenFrom(request);
  // A multipart body is read by the handler, after this guard: on an upload route
  // (MULTIPART_CSRF_ROUTE) the token is checked as the field before the file.
  if (
    token === undefined &&
    config?.csrf === "multipart-field" &&
    request.headers["content-type"]?.startsWith("multipart/")
  ) {
    checkCsrfInMultipartField(request);
    done();
    return;
  }
  request.session.assertCsrfToken(token).then(() => done(), done);
}
