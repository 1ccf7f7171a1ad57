import { z } from "zod";
import { isoDate } from "./schema.js";
import { TASK_STATUSES, type TaskStatus } from "./types.js";

export const TASK_SORTS = ["created", "updated", "due", "priority", "title"] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/** What the list shows: filters, sorting and the page. Parsed from the query string of both the page and the API. */
export interface TaskListQuery {
  readonly status: TaskStatus | undefined;
  /** `me`, `none`, or a user id; undefined for anyone. */
  readonly assignee: "me" | "none" | number | undefined;
  readonly dueBefore: string | undefined;
  readonly dueAfter: string | undefined;
  /** Part of the title or description. */
  readonly search: string | undefined;
  readonly sort: TaskSort;
  readonly order: "asc" | "desc";
  readonly page: number;
  readonly perPage: number;
}

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** The query string, as the filter form and API clients send it. Blank fields mean "no filter". */
export const taskListQuerySchema = z.object({
  status: optional(z.enum(TASK_STATUSES, { error: "Choose To do, Doing or Done." })),
  assignee: optional(
    z.union([z.enum(["me", "none"]), z.coerce.number().int().positive()], {
      error: "Choose someone from the list.",
    }),
  ),
  due_before: optional(isoDate),
  due_after: optional(isoDate),
  q: optional(z.string().trim().max(200, "Search for at most 200 characters.")),
  sort: optional(z.enum(TASK_SORTS, { error: "Sort by created, updated, due, priority or title." })),
  order: optional(z.enum(["asc", "desc"], { error: "Order is asc or desc." })),
  page: optional(z.coerce.number({ error: "Page is a number." }).int().min(1).max(100_000)),
  per_page: optional(z.coerce.number({ error: "Per page is a number." }).int().min(1).max(100)),
});
export type TaskListQueryInput = z.input<typeof taskListQuerySchema>;

/** Defaults: newest first, except "due" (soonest first) and "title" (A–Z). */
export function toTaskListQuery(parsed: z.output<typeof taskListQuerySchema>): TaskListQuery {
  const sort = parsed.sort ?? "created";
  return {
    status: parsed.status,
    assignee: parsed.assignee,
    dueBefore: parsed.due_before,
    dueAfter: parsed.due_after,
    search: parsed.q,
    sort,
    order: parsed.order ?? (sort === "due" || sort === "title" ? "asc" : "desc"),
    page: parsed.page ?? 1,
    perPage: parsed.per_page ?? 20,
  };
}

/** The query string that shows `query` (for pagination and sort links), leaving defaults out. */
export function taskListSearchParams(query: TaskListQuery, changes: Partial<TaskListQuery> = {}): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  if (merged.status) params.set("status", merged.status);
  if (merged.assignee !== undefined) params.set("assignee", String(merged.assignee));
  if (merged.dueAfter) params.set("due_after", merged.dueAfter);
  if (merged.dueBefore) params.set("due_before", merged.dueBefore);
  if (merged.search) params.set("q", merged.search);
  if (merged.sort !== "created") params.set("sort", merged.sort);
  params.set("order", merged.order);
  if (merged.page > 1) params.set("page", String(merged.page));
  if (merged.perPage !== 20) params.set("per_page", String(merged.perPage));
  return params.toString();
}
