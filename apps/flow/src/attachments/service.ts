import { rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Queue } from "@marg/core/queue";
import { flowError } from "../errors.js";
import { imageDocumentJob } from "../jobs/job-specs.js";
import {
  discardFile,
  keepFile,
  randomName,
  receiveToTempFile,
  resolveStorageKey,
} from "../shared/storage-files.js";
import type { TaskRepository } from "../tasks/repository.js";
import type { TaskService } from "../tasks/service.js";
import type { TaskActor } from "../tasks/types.js";
import type { AttachmentRepository } from "./repository.js";
import type { Attachment } from "./types.js";
import { ATTACHMENT_LIMIT_TEXT, cleanFileName, hasPreview, sniffAttachmentType } from "./upload-policy.js";

export interface AttachmentServiceDeps {
  readonly attachments: AttachmentRepository;
  readonly tasks: TaskService;
  /** For the "attached"/"detached" lines of the task's history. */
  readonly taskRows: TaskRepository;
  readonly storagePath: string;
  readonly queue: Pick<Queue, "dispatch">;
  readonly clock?: () => number;
  /** Where a failed dispatch is reported (the attachment is kept, without a preview). */
  readonly onDispatchError?: (error: unknown) => void;
}

export interface UploadedFile {
  readonly filename: string;
  readonly stream: Readable & { truncated?: boolean };
}

/** A file ready to be sent: its metadata and where it is on disk. */
export interface OpenedFile {
  readonly attachment: Attachment;
  readonly absolutePath: string;
}

/**
 * Files attached to tasks. Whoever may see the task may list and download its
 * files (visibility is TaskService's); uploads are checked for size and type
 * from their bytes, stored as `attachments/<taskId>/<random>`, and images get a
 * preview from the image.document job.
 */
export class AttachmentService {
  readonly #deps: AttachmentServiceDeps;
  readonly #now: () => number;

  constructor(deps: AttachmentServiceDeps) {
    this.#deps = deps;
    this.#now = deps.clock ?? Date.now;
  }

  async list(actor: TaskActor, taskId: number): Promise<Attachment[]> {
    await this.#deps.tasks.get(actor, taskId);
    return this.#deps.attachments.list(taskId);
  }

  count(taskId: number): Promise<number> {
    return this.#deps.attachments.count(taskId);
  }

  async upload(actor: TaskActor, taskId: number, file: UploadedFile): Promise<Attachment> {
    try {
      await this.#deps.tasks.get(actor, taskId);
    } catch (error) {
      // An unread part keeps the multipart parser waiting and the request open: drain it.
      file.stream.resume();
      throw error;
    }
    const folder = `attachments/${taskId}`;
    const received = await receiveToTempFile(file.stream, resolveStorageKey(this.#deps.storagePath, folder));
    const name = cleanFileName(file.filename);
    const contentType = sniffAttachmentType(received.head, name);
    const problem = received.truncated
      ? flowError("E_UPLOAD_TOO_LARGE", `“${name}” is larger than 10 MB. ${ATTACHMENT_LIMIT_TEXT}`, {
          fields: { file: `That file is larger than 10 MB. Attach a smaller one.` },
        })
      : received.size === 0
        ? flowError("E_UPLOAD_MISSING", "The file is empty. Choose a file with something in it.", {
            fields: { file: "The file is empty. Choose a file with something in it." },
          })
        : contentType === null
          ? flowError("E_UPLOAD_TYPE_NOT_ALLOWED", `“${name}” cannot be attached. ${ATTACHMENT_LIMIT_TEXT}`, {
              fields: { file: `This type of file cannot be attached. ${ATTACHMENT_LIMIT_TEXT}` },
            })
          : undefined;
    if (problem !== undefined || contentType === null) {
      await discardFile(received.tempPath);
      throw problem;
    }
    const storageKey = `${folder}/${randomName()}`;
    await keepFile(received.tempPath, this.#deps.storagePath, storageKey);
    const now = this.#now();
    const preview = hasPreview(contentType);
    const attachment = await this.#deps.attachments.insert({
      task_id: taskId,
      user_id: actor.userId,
      original_name: name,
      content_type: contentType,
      size_bytes: received.size,
      storage_key: storageKey,
      preview_key: null,
      preview_state: preview ? "pending" : "none",
      created_at: now,
    });
    await this.#deps.taskRows.record(
      taskId,
      actor.userId,
      "attached",
      { file: name, attachment: attachment.id },
      now,
    );
    if (preview) await this.#dispatchPreview(attachment);
    return (await this.#deps.attachments.find(attachment.id)) ?? attachment;
  }

  /** The file to download, if the actor may see the task. */
  async open(actor: TaskActor, taskId: number, attachmentId: number): Promise<OpenedFile> {
    const attachment = await this.#find(actor, taskId, attachmentId);
    return { attachment, absolutePath: await this.#existing(attachment.storageKey) };
  }

  async openPreview(actor: TaskActor, taskId: number, attachmentId: number): Promise<OpenedFile> {
    const attachment = await this.#find(actor, taskId, attachmentId);
    if (attachment.previewState !== "ready" || attachment.previewKey === null) throw attachmentNotFound();
    return { attachment, absolutePath: await this.#existing(attachment.previewKey) };
  }

  async remove(actor: TaskActor, taskId: number, attachmentId: number): Promise<Attachment> {
    const attachment = await this.#find(actor, taskId, attachmentId);
    await this.#deps.attachments.delete(attachment.id);
    await this.#deps.taskRows.record(
      taskId,
      actor.userId,
      "detached",
      { file: attachment.originalName },
      this.#now(),
    );
    await rm(resolveStorageKey(this.#deps.storagePath, attachment.storageKey), { force: true });
    if (attachment.previewKey !== null) {
      await rm(resolveStorageKey(this.#deps.storagePath, attachment.previewKey), { force: true });
    }
    return attachment;
  }

  /** After a task is deleted: its folder of files goes too. */
  async removeFilesOf(taskId: number): Promise<void> {
    await rm(resolveStorageKey(this.#deps.storagePath, path.join("attachments", String(taskId))), {
      recursive: true,
      force: true,
    });
  }

  async #dispatchPreview(attachment: Attachment): Promise<void> {
    // A preview is a nicety: if the queue is down the file is still attached, listed without one.
    try {
      await this.#deps.queue.dispatch(imageDocumentJob, {
        attachmentId: attachment.id,
        taskId: attachment.taskId,
        path: attachment.storageKey,
        contentType: attachment.contentType,
        previewPath: `${attachment.storageKey}.preview.webp`,
      });
    } catch (error) {
      this.#deps.onDispatchError?.(error);
      await this.#deps.attachments.setPreview(attachment.id, "failed", null);
    }
  }

  async #find(actor: TaskActor, taskId: number, attachmentId: number): Promise<Attachment> {
    await this.#deps.tasks.get(actor, taskId);
    const attachment = await this.#deps.attachments.find(attachmentId);
    if (attachment === null || attachment.taskId !== taskId) throw attachmentNotFound();
    return attachment;
  }

  async #existing(key: string): Promise<string> {
    const absolute = resolveStorageKey(this.#deps.storagePath, key);
    try {
      await stat(absolute);
      return absolute;
    } catch {
      throw attachmentNotFound();
    }
  }
}

export function attachmentNotFound() {
  return flowError(
    "E_ATTACHMENT_NOT_FOUND",
    "This file is not attached to the task (any more). Go back to the task to see its files.",
  );
}
