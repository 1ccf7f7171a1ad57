import type { Generated } from "kysely";

/** A file attached to a task (see flow-tables.ts for the conventions). */
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
