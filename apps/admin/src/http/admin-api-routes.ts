import { apiErrorResponses } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import type { AdminRouteContext } from "../admin-services.js";
import { auditQuerySchema } from "../audit/audit-routes.js";
import { maskSecrets } from "../queues/mask-secrets.js";
import { queueUnavailable } from "../queues/queue-admin-service.js";
import { auditEntrySchema, pageOf, stringList } from "./api-schemas.js";

/** The read-only JSON of the other admin pages: audit log, roles, health, queues. */
export function registerAdminApiRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, guards, services } = ctx;

  app.get(
    "/api/v1/audit",
    {
      preHandler: guards.requirePermission("audit.view"),
      schema: {
        tags: ["audit"],
        summary: "The audit log, newest first",
        querystring: {
          type: "object",
          properties: {
            action: { type: "string", description: "user.disable, or a prefix such as user." },
            subjectType: { type: "string" },
            subjectId: { type: "string" },
            page: { type: "integer", minimum: 1 },
            perPage: { type: "integer", minimum: 1, maximum: 100 },
          },
        },
        response: { 200: pageOf(auditEntrySchema), ...apiErrorResponses() },
      },
    },
    async (request) => services.audit.list(auditQuerySchema.parse(request.query ?? {})),
  );

  app.get(
    "/api/v1/roles",
    {
      preHandler: guards.requirePermission("roles.manage"),
      schema: {
        tags: ["roles"],
        summary: "Every role with its permissions and number of users",
        response: {
          200: {
            type: "object",
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    name: { type: "string" },
                    description: { type: ["string", "null"] },
                    permissions: stringList,
                    userCount: { type: "integer" },
                  },
                },
              },
            },
          },
          ...apiErrorResponses(),
        },
      },
    },
    async () => ({ items: await platform.rbac.listRoles() }),
  );

  app.get(
    "/api/v1/health",
    {
      preHandler: guards.requirePermission("health.view"),
      schema: {
        tags: ["health"],
        summary: "Every app's /health, asked now (1.5 s budget each)",
        response: {
          200: {
            type: "object",
            properties: {
              apps: {
                type: "array",
                items: {
                  type: "object",
                  additionalProperties: true,
                  properties: {
                    id: { type: "string" },
                    url: { type: "string" },
                    status: { type: "string" },
                    httpStatus: { type: ["integer", "null"] },
                    latencyMs: { type: "integer" },
                    error: { type: ["string", "null"] },
                    checks: { type: "array", items: { type: "object", additionalProperties: true } },
                  },
                },
              },
            },
          },
          ...apiErrorResponses(),
        },
      },
    },
    async () => ({ apps: await services.health() }),
  );

  app.get(
    "/api/v1/queues",
    {
      preHandler: guards.requirePermission("queues.view"),
      schema: {
        tags: ["queues"],
        summary: "Queue sizes, workers, throughput and recent failures (secrets masked)",
        response: {
          200: {
            type: "object",
            properties: {
              status: { type: "object", additionalProperties: true },
              failed: { type: "array", items: { type: "object", additionalProperties: true } },
            },
          },
          ...apiErrorResponses(503),
        },
      },
    },
    async () => {
      const queue = services.queue();
      if (queue === undefined) throw queueUnavailable();
      const [status, failed] = await Promise.all([queue.status(), queue.failed({ limit: 50 })]);
      return { status, failed: failed.map((job) => ({ ...job, payload: maskSecrets(job.payload) })) };
    },
  );
}
