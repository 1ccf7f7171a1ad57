import { html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../../people/repository.js";
import { dateText, timeView } from "../../shared/format.js";
import {
  isTaskStatus,
  PRIORITY_LABELS,
  STATUS_LABELS,
  type TaskActivity,
  type TaskPriority,
} from "../types.js";

const FIELD_LABELS: Record<string, string> = {
  title: "title",
  description: "description",
  status: "status",
  priority: "priority",
  dueOn: "due date",
  assigneeId: "assignee",
};

function valueText(fieldName: string, value: unknown, people: ReadonlyMap<number, Person>): string {
  if (value === null || value === undefined || value === "") return "none";
  if (fieldName === "status" && isTaskStatus(value)) return STATUS_LABELS[value];
  if (fieldName === "priority" && typeof value === "string" && value in PRIORITY_LABELS) {
    return PRIORITY_LABELS[value as TaskPriority];
  }
  if (fieldName === "assigneeId" && typeof value === "number")
    return people.get(value)?.name ?? `user ${value}`;
  if (fieldName === "dueOn" && typeof value === "string") return dateText(value);
  return String(value);
}

/** One line of history, e.g. "moved it from To do to Doing". */
export function describeActivity(entry: TaskActivity, people: ReadonlyMap<number, Person>): SafeHtml {
  const details = entry.details;
  switch (entry.action) {
    case "created":
      return html`created the task`;
    case "status": {
      const [from, to] = Array.isArray(details.status) ? details.status : [];
      return html`moved it from <strong>${valueText("status", from, people)}</strong> to <strong>${valueText("status", to, people)}</strong>`;
    }
    case "updated": {
      const changes = Object.entries(details).map(([name, change]) => {
        const [from, to] = Array.isArray(change) ? change : [];
        const label = FIELD_LABELS[name] ?? name;
        // A description can be long: say it changed rather than quoting both versions.
        return name === "description"
          ? html`<li>changed the description</li>`
          : html`<li>${label}: ${valueText(name, from, people)} → <strong>${valueText(name, to, people)}</strong></li>`;
      });
      return html`edited the task<ul>${changes}</ul>`;
    }
    case "commented":
      return html`commented`;
    case "attached":
      return html`attached <strong>${String(details.file ?? "a file")}</strong>`;
    case "detached":
      return html`removed the attachment <strong>${String(details.file ?? "a file")}</strong>`;
    default:
      return html`${String(entry.action)}`;
  }
}

export function taskActivityView(
  entries: readonly TaskActivity[],
  people: ReadonlyMap<number, Person>,
): SafeHtml {
  if (entries.length === 0) return html`<p class="muted">No history yet.</p>`;
  return html`<ol class="activity">${entries.map(
    (entry) =>
      html`<li><strong>${people.get(entry.userId)?.name ?? `User ${entry.userId}`}</strong> ${describeActivity(entry, people)} <span class="muted">· ${timeView(entry.createdAt)}</span></li>`,
  )}</ol>`;
}
