import type { Generated } from "kysely";

/**
 * The tables of flow's own database (`klueportal`), as Kysely sees them. Times
 * are epoch milliseconds; user ids point at `users` in `marg-rbac` (another
 * database, so no foreign key). Due dates and report ranges are calendar dates
 * (`YYYY-MM-DD`), which sort as text and mean the same day in every time zone.
 */
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

export interface TaskAttachmentsTable {
  id: Generated<number>;
  task_id: number;
  user_id: number;
  /** The name the file had on the uploader's computer (shown, never used as a path). */
  original_name: string;
  /** Sniffed from the bytes, not taken from the browser. */
  content_type: string;
  size_bytes: number;
  /** Relative to STORAGE_PATH: `attachments/<taskId>/<random>`. */
  storage_key: string;
  /** Relative to STORAGE_PATH, set by the image.document job. */
  preview_key: string | null;
  /** pending, ready, failed or none (no preview for this type). */
  preview_state: string;
  created_at: number;
}

/** A report the user asked for ("export tasks" for a date range). */
export interface ReportsTable {
  id: Generated<number>;
  user_id: number;
  /** `tasks` (the only kind so far). */
  kind: string;
  /** `all` when the user could see every task when asking, else `mine`. */
  scope: string;
  from_on: string;
  to_on: string;
  /** queued, running, ready or failed. */
  state: string;
  /** Relative to STORAGE_PATH once ready: `reports/<userId>/<id>-<random>.csv`. */
  file_key: string | null;
  row_count: number | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface FlowTables {
  tasks: TasksTable;
  task_comments: TaskCommentsTable;
  task_activity: TaskActivityTable;
  task_attachments: TaskAttachmentsTable;
  reports: ReportsTable;
}
