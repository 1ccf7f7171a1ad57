import type { Platform } from "@marg/core/platform";
import type { AnyJobDefinition } from "@marg/core/queue";
import { createImageDocumentJob } from "../attachments/preview-job.js";
import { createImageAvatarJob } from "../profile/avatar-job.js";
import { createReportGenerateJob } from "../reports/report-job.js";
import { type FlowJobDeps, flowJobDepsFrom } from "./flow-job-deps.js";

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
