import type { FastifyRequest } from "fastify";

/** JSON clients: API paths, or an Accept header that prefers JSON over HTML. */
export function wantsJson(request: FastifyRequest): boolean {
  if (request.url.startsWith("/api/")) return true;
  const accept = request.headers.accept ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}
