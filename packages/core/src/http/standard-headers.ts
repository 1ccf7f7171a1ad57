import type { FastifyReply, FastifyRequest } from "fastify";
import { REQUEST_ID_HEADER } from "./request-id.js";

/**
 * The headers the seed's nginx added (`X-Frame-Options`, `X-Content-Type-Options`),
 * plus a Referrer-Policy, set by the app itself so they are there with or
 * without a proxy in front. A plain hook rather than @fastify/helmet: helmet's
 * defaults add a Content-Security-Policy and HSTS that would break the
 * http://*.marg.localhost laptop setup, and matching the seed would mean turning
 * off ten of its middlewares to keep three. Fastify never sends X-Powered-By.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "SAMEORIGIN",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
};

/** Sets the security headers and echoes the request id; called for every reply, errors included. */
export function applyStandardHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.headers(SECURITY_HEADERS);
  reply.header(REQUEST_ID_HEADER, request.id);
}
