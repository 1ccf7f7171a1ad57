import swagger from "@fastify/swagger";
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type preHandlerAsyncHookHandler,
} from "fastify";
import fastifyPlugin from "fastify-plugin";
import { MargError } from "../errors/marg-error.js";

/**
 * Who may read an app's API description: signed-in users, and of an app with
 * `access` (admin) only those who hold one of its permissions, as for its pages.
 * A map of every endpoint is a gift to whoever probes them. Browsers go to sign
 * in; JSON clients get 401 E_AUTH_REQUIRED or 403 E_RBAC_FORBIDDEN.
 */
function docsGuard(access: readonly string[] | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.user === null) {
      if (String(request.headers.accept ?? "").includes("text/html")) {
        await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
        return;
      }
      throw new MargError("E_AUTH_REQUIRED", "Sign in first: the API description is for signed-in users.", {
        status: 401,
      });
    }
    if (access === undefined || access.length === 0) return;
    for (const permission of access) if (await request.can(permission)) return;
    throw new MargError(
      "E_RBAC_FORBIDDEN",
      "This API description is for the app's own users: it needs one of the permissions that open the app.",
      { status: 403, details: { permission: access.join(" | ") } },
    );
  };
}

const BEARER_SCHEME = {
  type: "http",
  scheme: "bearer",
  bearerFormat: "marg_pat_ + 38 characters",
  description: "A personal API token; it replaces the session cookie and the CSRF token.",
} as const;

/** A route's own requirements (session, session + CSRF) plus the bearer token as the other way in. */
function withBearer<T extends { security?: unknown }>(schema: T): T {
  // A route without a schema has none to extend: the document's own `security` covers it.
  if (!Array.isArray(schema?.security)) return schema;
  const security: unknown[] = schema.security;
  return security.some((item) => typeof item === "object" && item !== null && "bearer" in item)
    ? schema
    : { ...schema, security: [...security, { bearer: [] }] };
}

/**
 * The OpenAPI description of an app's JSON API, built from the route schemas of
 * every route under /api/v1, served at /api/docs (UI) and /api/docs/json to
 * signed-in users (with one of `access`, when given). Must be registered before
 * the routes it describes.
 */
export async function registerApiDocs(
  app: FastifyInstance,
  options: { title: string; url: string; access?: readonly string[] | undefined },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: `${options.title} API`,
        version: "1",
        description:
          "Same sign-in as the web pages: the session cookie, plus an `X-CSRF-Token` header (from `GET /api/v1/me`) on every POST, PATCH and DELETE. " +
          "Or, for scripts, a personal API token (account page or `marg token:create`): `Authorization: Bearer marg_pat_…`, no cookie, no CSRF token; " +
          "it may do what both its holder and its permissions allow. Errors are `{ error: { code, message, fields? } }`.",
      },
      servers: [{ url: options.url }],
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "marg_session" },
          csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token" },
          bearer: BEARER_SCHEME,
        },
      },
      // Routes that name no requirement of their own take either way in.
      security: [{ session: [] }, { bearer: [] }],
    },
    hideUntagged: false,
    transform: ({ schema, url }) => ({
      schema: url.startsWith("/api/v1") ? withBearer(schema) : { ...schema, hide: true },
      url,
    }),
  });
  registerLazyDocsUi(app, docsGuard(options.access));
}

// Hop-by-hop and framing headers are the outer reply's own business.
const NOT_FORWARDED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "date"]);

/**
 * /api/docs and everything under it (the UI, its static files, /json, /yaml),
 * behind `guard`. @fastify/swagger-ui (and @fastify/static under it: ~35–60 ms of
 * start-up and 3–6 MB) is loaded and registered on the first request, on a side
 * instance that reads the app's description (`app.swagger()`), and the request is
 * handed to it with `inject`: a process that never serves its docs never loads them.
 */
function registerLazyDocsUi(app: FastifyInstance, guard: preHandlerAsyncHookHandler): void {
  let side: Promise<FastifyInstance> | undefined;
  const load = async (): Promise<FastifyInstance> => {
    const { default: swaggerUi } = await import("@fastify/swagger-ui");
    const instance = Fastify();
    // swagger-ui depends on a plugin of this name, and reads the description through its decorator.
    await instance.register(
      fastifyPlugin(
        (inner, _options, done) => {
          inner.decorate("swagger", app.swagger.bind(app));
          done();
        },
        { name: "@fastify/swagger" },
      ),
    );
    await instance.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });
    await instance.ready();
    return instance;
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    side ??= load().catch((error: unknown) => {
      side = undefined;
      throw error;
    });
    const answer = await (await side).inject({
      method: request.method === "HEAD" ? "HEAD" : "GET",
      url: request.url,
      headers: request.headers,
    });
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) reply.header(name, value);
    }
    reply.code(answer.statusCode);
    return answer.rawPayload.length === 0 ? reply.send() : reply.send(answer.rawPayload);
  };
  for (const url of ["/api/docs", "/api/docs/*"]) {
    app.route({ method: "GET", url, schema: { hide: true }, preHandler: guard, handler });
  }
}
