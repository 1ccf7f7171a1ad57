import { apiErrorResponses } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import type { AdminRouteContext } from "../services.js";
import { healthOverviewView } from "./views.js";

/** The health overview: every app's /health asked in parallel, each within its budget. */
export function registerHealthOverviewRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { pages, guards, services } = ctx;
  app.get(
    "/health-overview",
    { preHandler: guards.requirePermission("health.view") },
    async (request, reply) =>
      pages.page(request, reply, {
        title: "Health",
        current: "/health-overview",
        body: healthOverviewView({ apps: await services.health(), checkedAt: Date.now() }),
      }),
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
}
