import type { Attachment } from "../../attachments/types.js";
import type { Task, TaskActivity, TaskComment } from "../types.js";

/** Tasks, comments and history as the JSON API shows them: camelCase, times in ISO 8601 UTC. */
export function presentTask(task: Task) {
  return {
    id: task.id,
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    dueOn: task.dueOn,
    assigneeId: task.assigneeId,
    creatorId: task.creatorId,
    createdAt: new Date(task.createdAt).toISOString(),
    updatedAt: new Date(task.updatedAt).toISOString(),
  };
}

export function presentComment(comment: TaskComment) {
  return {
    id: comment.id,
    taskId: comment.taskId,
    userId: comment.userId,
    body: comment.body,
    createdAt: new Date(comment.createdAt).toISOString(),
  };
}

export function presentActivity(entry: TaskActivity) {
  return {
    id: entry.id,
    userId: entry.userId,
    action: entry.action,
    details: entry.details,
    createdAt: new Date(entry.createdAt).toISOString(),
  };
}

export function presentAttachment(attachment: Attachment) {
  const base = `/tasks/${attachment.taskId}/attachments/${attachment.id}`;
  return {
    id: attachment.id,
    taskId: attachment.taskId,
    userId: attachment.userId,
    name: attachment.originalName,
    contentType: attachment.contentType,
    sizeBytes: attachment.sizeBytes,
    previewState: attachment.previewState,
    downloadUrl: base,
    previewUrl: attachment.previewState === "ready" ? `${base}/preview` : null,
    createdAt: new Date(attachment.createdAt).toISOString(),
  };
}
