import { mkdir } from "node:fs/promises";
import path from "node:path";
import { defineJob } from "@marg/core/queue";
import type { FlowJobDeps } from "../jobs/flow-job-deps.js";
import { imageDocumentJob } from "../jobs/job-specs.js";
import { loadSharp } from "../jobs/load-sharp.js";
import { resolveStorageKey } from "../shared/storage-files.js";
import { AttachmentRepository } from "./repository.js";

/** Pictures bigger than this many pixels are refused: a tiny PNG can decode to gigabytes. */
const MAX_INPUT_PIXELS = 50_000_000;

/**
 * image.document: a WebP preview (at most 320×320) of an image attached to a
 * task. Idempotent: a retry rewrites the same file. An attachment deleted in
 * the meantime is skipped; an image sharp cannot read is marked "no preview"
 * (retrying would not help, and the file itself stays downloadable).
 */
export function createImageDocumentJob(deps: FlowJobDeps) {
  return defineJob({
    ...imageDocumentJob,
    async handler(payload, ctx) {
      const attachments = new AttachmentRepository(deps.db);
      const attachment = await attachments.find(payload.attachmentId);
      if (attachment === null || attachment.storageKey !== payload.path) {
        ctx.log.info({ attachmentId: payload.attachmentId }, "attachment is gone; no preview needed");
        return;
      }
      const source = resolveStorageKey(deps.storagePath, payload.path);
      const target = resolveStorageKey(deps.storagePath, payload.previewPath);
      await mkdir(path.dirname(target), { recursive: true });
      const sharp = await loadSharp();
      try {
        await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS })
          .rotate()
          .resize(320, 320, { fit: "inside", withoutEnlargement: true })
          .webp({ quality: 80 })
          .toFile(target);
      } catch (error) {
        ctx.log.warn(
          { attachmentId: attachment.id, err: (error as Error).message },
          "no preview: image unreadable",
        );
        await attachments.setPreview(attachment.id, "failed", null);
        return;
      }
      await attachments.setPreview(attachment.id, "ready", payload.previewPath);
    },
  });
}
