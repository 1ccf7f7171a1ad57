import type { AuthenticatedApiToken } from "../auth/api-tokens/api-token-cache.js";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The personal API token this /api/v1 request authenticated with (its holder is
     * `request.user`), or null for a cookie session or a guest. Set by `marg-bearer-token`.
     */
    apiToken: AuthenticatedApiToken | null;
  }
}

/** Where a bearer token is honoured: the JSON API, never pages or forms. */
export function isApiPath(url: string): boolean {
  return url.startsWith("/api/v1") && (url.length === 7 || url[7] === "/" || url[7] === "?");
}
