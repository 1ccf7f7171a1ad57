import type { Person } from "../people/people-directory.js";
import type { Task } from "../tasks/task-types.js";

const HEADER = [
  "id",
  "title",
  "status",
  "priority",
  "due_on",
  "assignee",
  "creator",
  "created_at",
  "updated_at",
];

/**
 * One CSV cell: quoted when needed, and a leading = + - @ defused with a quote
 * so a spreadsheet never runs a task title as a formula.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The export: one line per task, people by email, times in ISO 8601 UTC. */
export function tasksCsv(tasks: readonly Task[], people: ReadonlyMap<number, Person>): string {
  const email = (id: number | null) => (id === null ? null : (people.get(id)?.email ?? `user ${id}`));
  const lines = tasks.map((task) =>
    [
      task.id,
      task.title,
      task.status,
      task.priority,
      task.dueOn,
      email(task.assigneeId),
      email(task.creatorId),
      new Date(task.createdAt).toISOString(),
      new Date(task.updatedAt).toISOString(),
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[HEADER.join(","), ...lines].join("\r\n")}\r\n`;
}
