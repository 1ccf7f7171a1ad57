import type { Generated } from "kysely";

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
