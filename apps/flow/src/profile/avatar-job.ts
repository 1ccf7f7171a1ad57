import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { defineJob, UnrecoverableJobError } from "@marg/core/queue";
import type { FlowJobDeps } from "../jobs/flow-job-deps.js";
import { imageAvatarJob } from "../jobs/job-specs.js";
import { loadSharp } from "../jobs/load-sharp.js";
import { resolveStorageKey } from "../shared/storage-files.js";

/**
 * image.avatar: crops the uploaded picture to a 256×256 WebP under
 * storage/avatars/ (served at /avatars/<file> by every app), makes it the
 * user's avatar and removes the one it replaces. Idempotent on retry.
 */
export function createImageAvatarJob(deps: FlowJobDeps) {
  return defineJob({
    ...imageAvatarJob,
    async handler(payload, ctx) {
      const user = await deps.users.findById(payload.userId);
      if (user === null) {
        ctx.log.info({ userId: payload.userId }, "user is gone; avatar skipped");
        return;
      }
      const source = resolveStorageKey(deps.storagePath, payload.path);
      const target = resolveStorageKey(deps.storagePath, `avatars/${payload.avatarFile}`);
      await mkdir(path.dirname(target), { recursive: true });
      const sharp = await loadSharp();
      try {
        await sharp(source, { limitInputPixels: 50_000_000 })
          .rotate()
          .resize(256, 256, { fit: "cover", position: "attention" })
          .webp({ quality: 85 })
          .toFile(target);
      } catch (error) {
        throw new UnrecoverableJobError(`the uploaded picture cannot be read: ${(error as Error).message}`, {
          cause: error,
        });
      }
      await deps.users.updateProfile(user.id, { avatarPath: payload.avatarFile });
      if (user.avatarPath !== null && user.avatarPath !== payload.avatarFile) {
        await rm(resolveStorageKey(deps.storagePath, `avatars/${user.avatarPath}`), { force: true });
      }
    },
  });
}
