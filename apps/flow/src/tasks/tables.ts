import type { Generated } from "kysely";

/** Tasks, their comments and their history, in flow's database (see flow-tables.ts for the conventions). */
export interface TasksTable {
  id: Generated<number>;
  /** The creator. Named `user_id` as in the seed, whose troubleshooting indexes it. */
  user_id: number;
  assignee_id: number | null;
  title: string;
  description: string;
  /** `todo`, `doing` or `done`. */
  status: string;
  /** 1 low, 2 normal, 3 high, 4 urgent: a number, so sorting by priority is plain ORDER BY. */
  priority: number;
  due_on: string | null;
  created_at: number;
  updated_at: number;
}

export interface TaskCommentsTable {
  id: Generated<number>;
  task_id: number;
  user_id: number;
  body: string;
  created_at: number;
}

/** The history of a task: one row per thing that happened to it. */
export interface TaskActivityTable {
  id: Generated<number>;
  task_id: number;
  user_id: number;
  /** created, updated, status, commented, attached, detached. */
  action: string;
  /** JSON: what changed (`{"status":["todo","doing"]}`), or the file name. */
  details: string;
  created_at: number;
}
