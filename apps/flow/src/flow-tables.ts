import type { TaskAttachmentsTable } from "./attachments/tables.js";
import type { ReportsTable } from "./reports/tables.js";
import type { TaskActivityTable, TaskCommentsTable, TasksTable } from "./tasks/tables.js";

/**
 * The tables of flow's own database (`klueportal`), as Kysely sees them. Times
 * are epoch milliseconds; user ids point at `users` in `marg-rbac` (another
 * database, so no foreign key). Due dates and report ranges are calendar dates
 * (`YYYY-MM-DD`), which sort as text and mean the same day in every time zone.
 */
export interface FlowTables {
  tasks: TasksTable;
  task_comments: TaskCommentsTable;
  task_activity: TaskActivityTable;
  task_attachments: TaskAttachmentsTable;
  reports: ReportsTable;
}
