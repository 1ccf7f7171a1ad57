import type { FastifyInstance } from "fastify";
import type { FlowRouteContext } from "../../shared/route-context.js";
import { registerTaskApiRoutes } from "./task-api-routes.js";
import { registerTaskDetailRoutes } from "./task-detail-routes.js";
import { registerTaskFormRoutes } from "./task-form-routes.js";
import { registerTaskListRoutes } from "./task-list-routes.js";

/** Every task route: the list and board, the forms, a task's page and its actions, and /api/v1/tasks. */
export function registerTaskRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  registerTaskListRoutes(app, ctx);
  registerTaskFormRoutes(app, ctx);
  registerTaskDetailRoutes(app, ctx);
  registerTaskApiRoutes(app, ctx);
}
