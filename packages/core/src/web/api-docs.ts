import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

/**
 * The OpenAPI description of an app's JSON API, built from the route schemas of
 * every route under /api/v1, served at /api/docs (UI) and /api/docs/json.
 * Must be registered before the routes it describes.
 */
export async function registerApiDocs(
  app: FastifyInstance,
  options: { title: string; url: string },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: `${options.title} API`,
        version: "1",
        description:
          "Same sign-in as the web pages: the session cookie, plus an `X-CSRF-Token` header (from `GET /api/v1/me`) on every POST, PATCH and DELETE. Errors are `{ error: { code, message, fields? } }`.",
      },
      servers: [{ url: options.url }],
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "marg_session" },
          csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token" },
        },
      },
    },
    hideUntagged: false,
    transform: ({ schema, url }) => ({
      schema: url.startsWith("/api/v1") ? schema : { ...schema, hide: true },
      url,
    }),
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
}
