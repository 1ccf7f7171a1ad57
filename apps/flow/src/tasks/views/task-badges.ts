import { html, type SafeHtml } from "@marg/core/web";
import { dateText } from "../../shared/format.js";
import { PRIORITY_LABELS, STATUS_LABELS, type Task, type TaskPriority, type TaskStatus } from "../types.js";

const STATUS_CLASS: Record<TaskStatus, string> = {
  todo: "badge",
  doing: "badge badge-warn",
  done: "badge badge-ok",
};
const PRIORITY_CLASS: Record<TaskPriority, string> = {
  low: "badge",
  normal: "badge",
  high: "badge badge-warn",
  urgent: "badge badge-danger",
};

export function statusBadge(status: TaskStatus): SafeHtml {
  return html`<span class="${STATUS_CLASS[status]}">${STATUS_LABELS[status]}</span>`;
}

export function priorityBadge(priority: TaskPriority): SafeHtml {
  return html`<span class="${PRIORITY_CLASS[priority]}">${PRIORITY_LABELS[priority]}</span>`;
}

/** The due date, flagged when it has passed and the task is not done. */
export function dueView(task: Task, today: string): SafeHtml | string {
  if (task.dueOn === null) return html`<span class="muted">—</span>`;
  const overdue = task.status !== "done" && task.dueOn < today;
  return overdue
    ? html`<span class="badge badge-danger" title="Overdue">${dateText(task.dueOn)} · overdue</span>`
    : html`<time datetime="${task.dueOn}">${dateText(task.dueOn)}</time>`;
}
