import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
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

type PeopleLookup = ReadonlyMap<number, Person | null>;

/** One task as a CSV line (CRLF), people by email, times in ISO 8601 UTC. */
function taskLine(task: Task, people: PeopleLookup): string {
  const email = (id: number | null) => (id === null ? null : (people.get(id)?.email ?? `user ${id}`));
  return `${[
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
    .join(",")}\r\n`;
}

/** The export: one line per task, people by email, times in ISO 8601 UTC. */
export function tasksCsv(tasks: readonly Task[], people: ReadonlyMap<number, Person>): string {
  return `${HEADER.join(",")}\r\n${tasks.map((task) => taskLine(task, people)).join("")}`;
}

/** Tasks per people lookup and per write while streaming an export. */
const BATCH = 500;

/**
 * Writes the export to `file` as the tasks arrive: a batch of rows at a time, the people
 * of each batch looked up once (and remembered: a user appears on many tasks), the file
 * written with back-pressure. Memory stays flat however many tasks there are. Resolves to
 * the number of tasks written; on failure the partial file is removed.
 */
export async function writeTasksCsv(
  file: string,
  tasks: AsyncIterable<Task>,
  lookup: (ids: readonly number[]) => Promise<ReadonlyMap<number, Person>>,
): Promise<number> {
  let written = 0;
  const people = new Map<number, Person | null>();
  const lineBatch = async (batch: readonly Task[]) => {
    const missing = [
      ...new Set(batch.flatMap((task) => [task.creatorId, task.assigneeId ?? task.creatorId])),
    ].filter((id) => !people.has(id));
    if (missing.length > 0) {
      const found = await lookup(missing);
      for (const id of missing) people.set(id, found.get(id) ?? null);
    }
    written += batch.length;
    return batch.map((task) => taskLine(task, people)).join("");
  };
  async function* lines(): AsyncGenerator<string> {
    yield `${HEADER.join(",")}\r\n`;
    let batch: Task[] = [];
    for await (const task of tasks) {
      batch.push(task);
      if (batch.length < BATCH) continue;
      yield await lineBatch(batch);
      batch = [];
    }
    if (batch.length > 0) yield await lineBatch(batch);
  }
  try {
    await pipeline(Readable.from(lines()), createWriteStream(file));
  } catch (error) {
    await unlink(file).catch(() => undefined);
    throw error;
  }
  return written;
}
