import type { Platform } from "@marg/core/platform";
import type { AnyJobDefinition } from "@marg/core/queue";
import { type FlowJobDeps, flowJobDepsFrom } from "./flow-job-deps.js";
import { createImageAvatarJob } from "./image-avatar-job.js";
import { createImageDocumentJob } from "./image-document-job.js";
import { createReportGenerateJob } from "./report-generate-job.js";

/** Flow's jobs with their handlers (image.document, image.avatar, report.generate). */
export function createFlowJobs(deps: FlowJobDeps): AnyJobDefinition[] {
  return [
    createImageDocumentJob(deps),
    createImageAvatarJob(deps),
    createReportGenerateJob(deps),
  ] as AnyJobDefinition[];
}

/** The app definition's `jobs`: flow's handlers, bound to the platform of the worker that runs them. */
export function flowJobs(platform: Platform): AnyJobDefinition[] {
  return createFlowJobs(flowJobDepsFrom(platform));
}
