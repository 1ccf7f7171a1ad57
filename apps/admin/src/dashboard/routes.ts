import { isMargError } from "@marg/core/errors";
import type { FastifyInstance } from "fastify";
import { adminAbilities } from "../access/guard.js";
import type { AdminRouteContext } from "../services.js";
import { type DashboardData, dashboardView } from "./views.js";

/** `/`: the control room, showing only the areas the signed-in admin may see. */
export function registerDashboardRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, pages, services } = ctx;

  const queueSummary = async (): Promise<NonNullable<DashboardData["queues"]>> => {
    const queue = services.queue();
    if (queue === undefined) return { available: false, reason: "No queue connection in this process." };
    try {
      const status = await queue.status();
      return {
        available: true,
        waiting: status.queues.reduce((sum, q) => sum + q.waiting + q.delayed, 0),
        failed: status.queues.reduce((sum, q) => sum + q.failed, 0),
        workers: status.workers.length,
      };
    } catch (error) {
      if (!isMargError(error)) throw error;
      return { available: false, reason: error.message };
    }
  };

  app.get("/", async (request, reply) => {
    const can = await adminAbilities(request);
    const [users, disabled, roles, queues, health, feedback, audit] = await Promise.all([
      can.has("users.view") ? platform.users.list({ perPage: 1 }) : undefined,
      can.has("users.view") ? platform.users.list({ perPage: 1, status: "disabled" }) : undefined,
      can.has("roles.manage") ? platform.rbac.listRoles() : undefined,
      can.has("queues.view") ? queueSummary() : undefined,
      can.has("health.view") ? services.health() : undefined,
      can.has("feedback.view") ? services.feedback.list({ page: 1, perPage: 1 }) : undefined,
      can.has("audit.view") ? services.audit.list({ perPage: 5 }) : undefined,
    ]);
    const data: DashboardData = {
      ...(users && disabled ? { users: { total: users.total, disabled: disabled.total } } : {}),
      ...(roles ? { roles: { count: roles.length } } : {}),
      ...(queues ? { queues } : {}),
      ...(health ? { health } : {}),
      ...(feedback ? { feedback: { total: feedback.available ? feedback.total : null } } : {}),
      ...(audit ? { audit: audit.items } : {}),
    };
    return pages.page(request, reply, { title: "Control room", current: "/", body: dashboardView(data) });
  });
}
