import { defineApp } from "@marg/core/app";
import { flowMigrations } from "./db/flow-migrations.js";
import { FLOW_APP } from "./jobs/flow-job-deps.js";
import { flowJobs } from "./jobs/flow-jobs.js";
import { FLOW_JOB_SPECS } from "./jobs/job-specs.js";
import { demoTasksSeeder } from "./tasks/demo-tasks-seeder.js";
import { registerFlowRoutes } from "./web/flow-routes.js";
import { PERMISSIONS } from "./web/permissions.js";

/** flow.marg — tasks, attachments, reports, feedback and the profile. Database: klueportal. */
export const app = defineApp({
  id: FLOW_APP.id,
  title: FLOW_APP.title,
  database: FLOW_APP.database,
  migrations: flowMigrations,
  seeders: [demoTasksSeeder],
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

export { flowAppMigrations, flowBusinessMigrations, flowMigrations } from "./db/flow-migrations.js";
export type { FlowTables } from "./db/flow-tables.js";
export { FLOW_ERRORS } from "./errors.js";
export type { BusinessTables, FeedbackTable } from "./feedback/feedback-tables.js";
export { type FlowJobDeps, flowJobDepsFrom } from "./jobs/flow-job-deps.js";
export { createFlowJobs, flowJobs } from "./jobs/flow-jobs.js";
export {
  IMAGE_AVATAR_JOB,
  IMAGE_DOCUMENT_JOB,
  type ImageAvatarPayload,
  type ImageDocumentPayload,
  imageAvatarPayload,
  imageDocumentPayload,
  REPORT_GENERATE_JOB,
  type ReportGeneratePayload,
  reportGeneratePayload,
} from "./jobs/job-payloads.js";
export { imageAvatarJob, imageDocumentJob, reportGenerateJob } from "./jobs/job-specs.js";
