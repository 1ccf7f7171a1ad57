import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import { REQUEST_ID_HEADER } from "./request-id.js";

/**
 * The Content-Security-Policy of every page: scripts, styles, images, fonts and
 * requests from the app's own origin only, no inline script or style (and so
 * no `style=` or `onclick=` attributes: views use the static stylesheets), no
 * plugins, no <base> rewriting, framed only by the same origin (as
 * X-Frame-Options says). `others` are the sibling apps' origins: forms may
 * post (and sign-in may redirect) to them, and pages may show their images.
 */
export function contentSecurityPolicy(others: readonly string[] = []): string {
  const self = ["'self'", ...others].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${self} data:`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
    `form-action ${self}`,
  ].join("; ");
}

/**
 * The headers the seed's nginx added (`X-Frame-Options`, `X-Content-Type-Options`),
 * a Referrer-Policy and the Content-Security-Policy, set by the app itself so
 * they are there with or without a proxy in front. A plain hook rather than
 * @fastify/helmet: helmet's HSTS would break the http://*.marg.localhost laptop
 * setup (HSTS belongs to the TLS proxy, see the nginx and HAProxy renderers),
 * and matching the seed would mean turning off most of its middlewares to keep
 * four. Fastify never sends X-Powered-By.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "SAMEORIGIN",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "content-security-policy": contentSecurityPolicy(),
};

/**
 * Sets the security headers and echoes the request id; called for every reply,
 * errors included. A Content-Security-Policy already on the reply (the app's
 * own, naming its sibling apps) is kept.
 */
export function applyStandardHeaders(request: FastifyRequest, reply: FastifyReply, csp?: string): void {
  const policy =
    csp ?? reply.getHeader("content-security-policy") ?? SECURITY_HEADERS["content-security-policy"];
  reply.headers(SECURITY_HEADERS);
  reply.header("content-security-policy", policy);
  reply.header(REQUEST_ID_HEADER, request.id);
}

/**
 * The onRequest hook of `marg-standard-headers` (callback style: no promise per
 * request): the security headers, this app's CSP and the identity headers
 * (X-Marg-Version, X-Served-By) are one object built once, set with one call, and
 * the request id beside them. Set here rather than on send, they are on every
 * answer that went through onRequest, errors included (Fastify keeps a reply's
 * headers when a later hook or the handler fails), without an onSend hook per
 * request; `frameworkErrors` answers (before any hook) get them from
 * `createHttpApp`.
 */
export function standardHeadersHook(
  csp: string,
  identity: Readonly<Record<string, string>> = {},
): onRequestHookHandler {
  const headers: Readonly<Record<string, string>> = {
    ...SECURITY_HEADERS,
    "content-security-policy": csp,
    ...identity,
  };
  return (request, reply, done) => {
    reply.headers(headers);
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  };
}
