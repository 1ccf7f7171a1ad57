import { describeInput, paginationMeta } from "../../shared/api-schemas.js";
import { taskListQuerySchema } from "../list-query.js";
import { commentInputSchema, taskInputSchema, taskPatchSchema } from "../schema.js";
import { TASK_PRIORITIES, TASK_STATUSES } from "../types.js";

/** OpenAPI descriptions of the task API: inputs from the zod schemas, outputs matching the presenters. */

const isoTime = { type: "string", format: "date-time" } as const;

export const taskJson = {
  type: "object",
  properties: {
    id: { type: "integer" },
    title: { type: "string" },
    description: { type: "string" },
    status: { type: "string", enum: [...TASK_STATUSES] },
    priority: { type: "string", enum: [...TASK_PRIORITIES] },
    dueOn: { type: "string", format: "date", nullable: true },
    assigneeId: { type: "integer", nullable: true },
    creatorId: { type: "integer" },
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  required: [
    "id",
    "title",
    "description",
    "status",
    "priority",
    "dueOn",
    "assigneeId",
    "creatorId",
    "createdAt",
    "updatedAt",
  ],
} as const;

export const commentJson = {
  type: "object",
  properties: {
    id: { type: "integer" },
    taskId: { type: "integer" },
    userId: { type: "integer" },
    body: { type: "string" },
    createdAt: isoTime,
  },
  required: ["id", "taskId", "userId", "body", "createdAt"],
} as const;

export const activityJson = {
  type: "object",
  properties: {
    id: { type: "integer" },
    userId: { type: "integer" },
    action: { type: "string", enum: ["created", "updated", "status", "commented", "attached", "detached"] },
    details: {
      type: "object",
      additionalProperties: true,
      description: "field → [before, after], or { file }",
    },
    createdAt: isoTime,
  },
  required: ["id", "userId", "action", "details", "createdAt"],
} as const;

export const attachmentJson = {
  type: "object",
  properties: {
    id: { type: "integer" },
    taskId: { type: "integer" },
    userId: { type: "integer" },
    name: { type: "string" },
    contentType: { type: "string" },
    sizeBytes: { type: "integer" },
    previewState: { type: "string", enum: ["pending", "ready", "failed", "none"] },
    downloadUrl: { type: "string" },
    previewUrl: { type: "string", nullable: true },
    createdAt: isoTime,
  },
  required: ["id", "taskId", "name", "contentType", "sizeBytes", "previewState", "downloadUrl", "createdAt"],
} as const;

export const taskListQueryJson = describeInput(taskListQuerySchema);
export const taskInputJson = describeInput(taskInputSchema);
export const taskPatchJson = describeInput(taskPatchSchema);
export const commentInputJson = describeInput(commentInputSchema);

export const one = <T>(schema: T) =>
  ({ type: "object", properties: { data: schema }, required: ["data"] }) as const;
export const many = <T>(schema: T) =>
  ({ type: "object", properties: { data: { type: "array", items: schema } }, required: ["data"] }) as const;
export const page = <T>(schema: T) =>
  ({
    type: "object",
    properties: { data: { type: "array", items: schema }, meta: paginationMeta },
    required: ["data", "meta"],
  }) as const;
