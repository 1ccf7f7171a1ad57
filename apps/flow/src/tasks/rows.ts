import type { Selectable } from "kysely";
import type { TaskActivityTable, TaskCommentsTable, TasksTable } from "./tables.js";
import {
  type ActivityAction,
  isTaskStatus,
  priorityFromNumber,
  type Task,
  type TaskActivity,
  type TaskComment,
} from "./types.js";

export function toTask(row: Selectable<TasksTable>): Task {
  return {
    id: Number(row.id),
    title: row.title,
    description: row.description,
    status: isTaskStatus(row.status) ? row.status : "todo",
    priority: priorityFromNumber(Number(row.priority)),
    dueOn: row.due_on,
    creatorId: Number(row.user_id),
    assigneeId: row.assignee_id === null ? null : Number(row.assignee_id),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toComment(row: Selectable<TaskCommentsTable>): TaskComment {
  return {
    id: Number(row.id),
    taskId: Number(row.task_id),
    userId: Number(row.user_id),
    body: row.body,
    createdAt: Number(row.created_at),
  };
}

function parseDetails(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function toActivity(row: Selectable<TaskActivityTable>): TaskActivity {
  return {
    id: Number(row.id),
    taskId: Number(row.task_id),
    userId: Number(row.user_id),
    action: row.action as ActivityAction,
    details: parseDetails(row.details),
    createdAt: Number(row.created_at),
  };
}
