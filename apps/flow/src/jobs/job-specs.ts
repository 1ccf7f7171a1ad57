import { type AnyJobSpec, type JobSpec, QUEUE_NAMES } from "@marg/core/queue";
import type { z } from "zod";
import {
  IMAGE_AVATAR_JOB,
  IMAGE_DOCUMENT_JOB,
  imageAvatarPayload,
  imageDocumentPayload,
  REPORT_GENERATE_JOB,
  reportGeneratePayload,
} from "./job-payloads.js";

/**
 * The jobs flow dispatches, without handlers: what routes hand to
 * `platform.queue.dispatch()`. The handlers (flow-jobs.ts) run in the worker.
 */
type Spec<S extends z.ZodType> = JobSpec<z.input<S>, z.output<S>>;

export const imageDocumentJob: Spec<typeof imageDocumentPayload> = {
  name: IMAGE_DOCUMENT_JOB,
  schema: imageDocumentPayload,
  queue: QUEUE_NAMES.images,
  attempts: 3,
  timeoutSeconds: 60,
};

export const imageAvatarJob: Spec<typeof imageAvatarPayload> = {
  name: IMAGE_AVATAR_JOB,
  schema: imageAvatarPayload,
  queue: QUEUE_NAMES.images,
  attempts: 3,
  timeoutSeconds: 60,
};

export const reportGenerateJob: Spec<typeof reportGeneratePayload> = {
  name: REPORT_GENERATE_JOB,
  schema: reportGeneratePayload,
  queue: QUEUE_NAMES.reports,
  attempts: 3,
  timeoutSeconds: 300,
};

/** Every job flow dispatches (its app definition's `dispatches`). */
export const FLOW_JOB_SPECS: readonly AnyJobSpec[] = [
  imageDocumentJob,
  imageAvatarJob,
  reportGenerateJob,
] as readonly AnyJobSpec[];
