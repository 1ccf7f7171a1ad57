import multipart from "@fastify/multipart";
import type { AppContext } from "@marg/core/app";
import type { FastifyInstance } from "fastify";
import { registerAttachmentRoutes } from "../attachments/attachment-routes.js";
import { ATTACHMENT_MAX_BYTES } from "../attachments/upload-policy.js";
import { registerFeedbackRoutes } from "../feedback/feedback-routes.js";
import { registerProfileRoutes } from "../profile/profile-routes.js";
import { registerReportRoutes } from "../reports/report-routes.js";
import { registerTaskApiRoutes } from "../tasks/api/task-api-routes.js";
import { registerTaskDetailRoutes } from "../tasks/routes/task-detail-routes.js";
import { registerTaskFormRoutes } from "../tasks/routes/task-form-routes.js";
import { registerTaskListRoutes } from "../tasks/routes/task-list-routes.js";
import { registerFlowAssets, withFlowStyles } from "./flow-pages.js";
import { createFlowServices } from "./flow-services.js";
import type { FlowRouteContext } from "./route-context.js";

/**
 * Every flow route. Multipart parsing is registered here, inside flow, with
 * limits no upload form exceeds (each form then applies its own, smaller one).
 */
export async function registerFlowRoutes(app: FastifyInstance, appContext: AppContext): Promise<void> {
  const ctx: FlowRouteContext = {
    services: createFlowServices(appContext.platform),
    pages: withFlowStyles(appContext.pages),
    guards: appContext.guards,
  };
  await app.register(multipart, {
    limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 10, parts: 12 },
  });
  registerFlowAssets(app);
  app.get("/", async (request, reply) => reply.redirect(request.user === null ? "/login" : "/tasks", 303));
  registerTaskListRoutes(app, ctx);
  registerTaskFormRoutes(app, ctx);
  registerTaskDetailRoutes(app, ctx);
  registerAttachmentRoutes(app, ctx);
  registerTaskApiRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerReportRoutes(app, ctx);
}
