import type { FastifyInstance } from "fastify";
import type { AdminRouteContext } from "../admin-services.js";
import { healthOverviewView } from "./health-views.js";

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
}
