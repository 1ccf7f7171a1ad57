export { app } from "./app.js";
export { FLOW_ERRORS } from "./errors.js";
export type { BusinessTables, FeedbackTable } from "./feedback/tables.js";
export { flowAppMigrations, flowBusinessMigrations, flowMigrations } from "./flow-migrations.js";
export type { FlowTables } from "./flow-tables.js";
export { type FlowJobDeps, flowJobDepsFrom } from "./jobs/flow-job-deps.js";
export { createFlowJobs, flowJobs } from "./jobs/flow-jobs.js";
export {
  IMAGE_AVATAR_JOB,
  IMAGE_DOCUMENT_JOB,
  type ImageAvatarPayload,
  type ImageDocumentPayload,
  imageAvatarJob,
  imageAvatarPayload,
  imageDocumentJob,
  imageDocumentPayload,
  REPORT_GENERATE_JOB,
  type ReportGeneratePayload,
  reportGenerateJob,
  reportGeneratePayload,
} from "./jobs/job-specs.js";
