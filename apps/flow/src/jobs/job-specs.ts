import { type AnyJobSpec, type JobSpec, QUEUE_NAMES } from "@marg/core/queue";
import { z } from "zod";
import { isoDate } from "../tasks/schema.js";

/**
 * The jobs flow dispatches, each declared once with its payload: the contract
 * between flow's pages, which hand these specs to `platform.queue.dispatch()`,
 * and the handlers (flow-jobs.ts) that a worker builds from the same specs with
 * `defineJob({ ...spec, handler })`. Paths are relative to STORAGE_PATH
 * (workers and apps mount the same storage), never absolute, never `..`.
 */
export const storagePath = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_./-]*$/, "must be a path relative to STORAGE_PATH")
  .refine((value) => !value.split("/").some((segment) => segment === ".." || segment === "."), {
    message: "must not climb out of STORAGE_PATH",
  });

const id = z.number().int().positive();

type Spec<S extends z.ZodType> = JobSpec<z.input<S>, z.output<S>>;

export const IMAGE_DOCUMENT_JOB = "image.document";
/** Make a preview of an image attached to a task. */
export const imageDocumentPayload = z.strictObject({
  attachmentId: id,
  taskId: id,
  /** The uploaded file, e.g. `attachments/12/9f…`. */
  path: storagePath,
  /** What the upload was sniffed as (`image/png`…). */
  contentType: z.string().min(1).max(100),
  /** Where to write the preview (WebP, at most 320×320). */
  previewPath: storagePath,
});
export type ImageDocumentPayload = z.output<typeof imageDocumentPayload>;
export const imageDocumentJob: Spec<typeof imageDocumentPayload> = {
  name: IMAGE_DOCUMENT_JOB,
  schema: imageDocumentPayload,
  queue: QUEUE_NAMES.images,
  attempts: 3,
  timeoutSeconds: 60,
};

export const IMAGE_AVATAR_JOB = "image.avatar";
/** Turn an uploaded picture into the user's avatar. */
export const imageAvatarPayload = z.strictObject({
  userId: id,
  /** The original upload, e.g. `avatars/originals/7-ab12….png`. */
  path: storagePath,
  /** File name to create under storage/avatars/ (what /avatars/:file serves and users.avatar_path holds). */
  avatarFile: z.string().regex(/^[A-Za-z0-9_-]{1,80}\.webp$/, "must be a .webp file name"),
});
export type ImageAvatarPayload = z.output<typeof imageAvatarPayload>;
export const imageAvatarJob: Spec<typeof imageAvatarPayload> = {
  name: IMAGE_AVATAR_JOB,
  schema: imageAvatarPayload,
  queue: QUEUE_NAMES.images,
  attempts: 3,
  timeoutSeconds: 60,
};

export const REPORT_GENERATE_JOB = "report.generate";
/** Export tasks created in a date range to CSV, then mail a link. */
export const reportGeneratePayload = z.strictObject({
  reportId: id,
  userId: id,
  /** Inclusive calendar days (UTC). */
  from: isoDate,
  to: isoDate,
  /** `all` when the user could see every task when asking, else only their own. */
  scope: z.enum(["all", "mine"]),
});
export type ReportGeneratePayload = z.output<typeof reportGeneratePayload>;
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
