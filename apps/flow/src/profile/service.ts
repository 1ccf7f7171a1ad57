import path from "node:path";
import type { Queue } from "@marg/core/queue";
import type { UploadedFile } from "../attachments/service.js";
import { AVATAR_LIMIT_TEXT, sniffImageType } from "../attachments/upload-policy.js";
import { flowError } from "../errors.js";
import { imageAvatarJob } from "../jobs/job-specs.js";
import {
  discardFile,
  keepFile,
  randomName,
  receiveToTempFile,
  resolveStorageKey,
} from "../shared/storage-files.js";

const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
};

/**
 * Keeps the original picture under `avatars/originals/<userId>-<random>.<ext>`
 * and queues image.avatar, which makes the square WebP and sets it on the user.
 */
export async function acceptAvatarUpload(
  deps: { storagePath: string; queue: Pick<Queue, "dispatch"> },
  userId: number,
  file: UploadedFile,
): Promise<{ avatarFile: string }> {
  const folder = resolveStorageKey(deps.storagePath, path.join("avatars", "originals"));
  const received = await receiveToTempFile(file.stream, folder);
  const type = sniffImageType(received.head);
  if (received.truncated || received.size === 0 || type === null) {
    await discardFile(received.tempPath);
    if (received.truncated) {
      throw flowError("E_UPLOAD_TOO_LARGE", `The picture is larger than 5 MB. ${AVATAR_LIMIT_TEXT}`, {
        fields: { file: "That picture is larger than 5 MB. Choose a smaller one." },
      });
    }
    throw flowError(
      "E_UPLOAD_TYPE_NOT_ALLOWED",
      `That file is not a picture MARG can use. ${AVATAR_LIMIT_TEXT}`,
      {
        fields: { file: `That file is not a picture we can use. ${AVATAR_LIMIT_TEXT}` },
      },
    );
  }
  const name = `${userId}-${randomName()}`;
  const original = `avatars/originals/${name}.${EXTENSIONS[type] ?? "img"}`;
  await keepFile(received.tempPath, deps.storagePath, original);
  const avatarFile = `${name}.webp`;
  await deps.queue.dispatch(imageAvatarJob, { userId, path: original, avatarFile });
  return { avatarFile };
}
