import path from "node:path";
import multipart from "@fastify/multipart";
import { type AppContext, defineApp } from "@marg/core/app";
import type { FastifyInstance } from "fastify";
import { registerAttachmentRoutes } from "./attachments/routes.js";
import { ATTACHMENT_MAX_BYTES } from "./attachments/upload-policy.js";
import { registerFeedbackRoutes } from "./feedback/routes.js";
import { flowMigrations } from "./flow-migrations.js";
import { createFlowServices } from "./flow-services.js";
import { FLOW_APP } from "./jobs/flow-job-deps.js";
import { flowJobs } from "./jobs/flow-jobs.js";
import { FLOW_JOB_SPECS } from "./jobs/job-specs.js";
import { registerProfileRoutes } from "./profile/routes.js";
import { registerReportRoutes } from "./reports/routes.js";
import { PERMISSIONS } from "./shared/permissions.js";
import type { FlowRouteContext } from "./shared/route-context.js";
import { demoTasksSeeder } from "./tasks/demo-seeder.js";
import { registerTaskRoutes } from "./tasks/routes/index.js";

/**
 * Every flow route. Multipart parsing is registered here, inside flow, with
 * limits no upload form exceeds (each form then applies its own, smaller one).
 */
async function registerFlowRoutes(app: FastifyInstance, appContext: AppContext): Promise<void> {
  const ctx: FlowRouteContext = {
    services: createFlowServices(appContext.platform),
    pages: appContext.pages,
    guards: appContext.guards,
  };
  await app.register(multipart, {
    limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 10, parts: 12 },
  });
  app.get("/", async (request, reply) => reply.redirect(request.user === null ? "/login" : "/tasks", 303));
  registerTaskRoutes(app, ctx);
  registerAttachmentRoutes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  registerReportRoutes(app, ctx);
}

/** flow.marg — tasks, attachments, reports, feedback and the profile. Database: klueportal. */
export const app = defineApp({
  id: FLOW_APP.id,
  title: FLOW_APP.title,
  database: FLOW_APP.database,
  migrations: flowMigrations,
  seeders: [demoTasksSeeder],
  // Served at /assets/flow.css and linked in every page's <head> (the CSP allows no inline style).
  stylesheet: path.resolve(import.meta.dirname, "../assets/flow.css"),
  // Each link names the permission its page's guard asks for, so no one is shown a 403.
  nav: [
    { href: "/tasks", label: "Tasks", permission: PERMISSIONS.viewTasks },
    { href: "/tasks/board", label: "Board", permission: PERMISSIONS.viewTasks },
    { href: "/reports", label: "Reports", permission: PERMISSIONS.reports },
    { href: "/profile", label: "Profile" },
    { href: "/feedback", label: "Feedback", permission: PERMISSIONS.sendFeedback },
  ],
  // Declared once in job-specs.ts; the handlers in flow-jobs.ts are built from the same specs.
  dispatches: FLOW_JOB_SPECS,
  jobs: flowJobs,
  routes: registerFlowRoutes,
});
