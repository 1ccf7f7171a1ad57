/** The three columns of the board, in order. */
export const TASK_STATUSES = ["todo", "doing", "done"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Stored as 1–4 so ORDER BY priority means "most urgent last/first". */
export const TASK_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const STATUS_LABELS: Readonly<Record<TaskStatus, string>> = {
  todo: "To do",
  doing: "Doing",
  done: "Done",
};

export const PRIORITY_LABELS: Readonly<Record<TaskPriority, string>> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

export function priorityToNumber(priority: TaskPriority): number {
  return TASK_PRIORITIES.indexOf(priority) + 1;
}

export function priorityFromNumber(value: number): TaskPriority {
  return TASK_PRIORITIES[value - 1] ?? "normal";
}

export function isTaskStatus(value: unknown): value is TaskStatus {
  return typeof value === "string" && (TASK_STATUSES as readonly string[]).includes(value);
}

/** A task as services, views and the API see it. */
export interface Task {
  readonly id: number;
  readonly title: string;
  readonly description: string;
  readonly status: TaskStatus;
  readonly priority: TaskPriority;
  /** `YYYY-MM-DD` or null. */
  readonly dueOn: string | null;
  readonly creatorId: number;
  readonly assigneeId: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TaskComment {
  readonly id: number;
  readonly taskId: number;
  readonly userId: number;
  readonly body: string;
  readonly createdAt: number;
}

export type ActivityAction = "created" | "updated" | "status" | "commented" | "attached" | "detached";

export interface TaskActivity {
  readonly id: number;
  readonly taskId: number;
  readonly userId: number;
  readonly action: ActivityAction;
  /** What changed: field → [before, after]; or `{ file }` for attachments. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

/** One page of a list. `page` counts from 1. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pages: number;
}

/**
 * Who is asking, and what RBAC lets them do with tasks. Routes build it from
 * `request.can`; services decide with it, never with a request.
 */
export interface TaskActor {
  readonly userId: number;
  /** `tasks.view-all` (admins via `tasks.*`): sees every task, not only their own. */
  readonly viewAll: boolean;
}
