import { batchesOf, csvCell, csvLine, writeCsvFile } from "@marg/core/web";
import type { Person } from "../people/repository.js";
import type { Task } from "../tasks/types.js";

/** Re-exported: the cell rules (quoting, formula defusing) live in core, shared by every export. */
export { csvCell };

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

type PeopleLookup = ReadonlyMap<number, Person | null>;

/** One task's cells, people by email, times in ISO 8601 UTC. */
function taskCells(task: Task, people: PeopleLookup) {
  const email = (id: number | null) => (id === null ? null : (people.get(id)?.email ?? `user ${id}`));
  return [
    task.id,
    task.title,
    task.status,
    task.priority,
    task.dueOn,
    email(task.assigneeId),
    email(task.creatorId),
    new Date(task.createdAt).toISOString(),
    new Date(task.updatedAt).toISOString(),
  ];
}

/** The export: one line per task, people by email, times in ISO 8601 UTC. */
export function tasksCsv(tasks: readonly Task[], people: ReadonlyMap<number, Person>): string {
  return csvLine(HEADER) + tasks.map((task) => csvLine(taskCells(task, people))).join("");
}

/** Tasks per people lookup and per write while streaming an export. */
const BATCH = 500;

/**
 * Writes the export to `file` as the tasks arrive (core's writeCsvFile): a batch at a
 * time, the people of each batch looked up once and remembered (a user appears on many
 * tasks). Memory stays flat however many tasks there are. Resolves to the tasks written.
 */
export async function writeTasksCsv(
  file: string,
  tasks: AsyncIterable<Task>,
  lookup: (ids: readonly number[]) => Promise<ReadonlyMap<number, Person>>,
): Promise<number> {
  const people = new Map<number, Person | null>();
  async function* rows() {
    for await (const batch of batchesOf(tasks, BATCH)) {
      const missing = [
        ...new Set(batch.flatMap((task) => [task.creatorId, task.assigneeId ?? task.creatorId])),
      ].filter((id) => !people.has(id));
      if (missing.length > 0) {
        const found = await lookup(missing);
        for (const id of missing) people.set(id, found.get(id) ?? null);
      }
      yield batch.map((task) => taskCells(task, people));
    }
  }
  return writeCsvFile(file, HEADER, rows());
}
