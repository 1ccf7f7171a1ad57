import type { Generated } from "kysely";

/**
 * One piece of feedback, in `klue_portal_business`.`feedback`. This is the
 * contract admin reads (over its `business` connection, without importing
 * flow): newest first by `created_at`, indexed as `feedback_created_at_index`.
 */
export interface FeedbackTable {
  id: Generated<number>;
  /** The app it was sent from (`flow`). */
  app: string;
  /** Id of the sender in `marg-rbac`.`users`. */
  user_id: number;
  /** The sender's address when they sent it, so the list needs no cross-database join. */
  user_email: string;
  /** 1 (poor) to 5 (great). */
  rating: number;
  /** What they wrote; plain text, up to 5,000 characters. */
  body: string;
  /** The path (or URL) of the page it is about, up to 500 characters. */
  page: string;
  /** Epoch milliseconds. */
  created_at: number;
}

export interface BusinessTables {
  feedback: FeedbackTable;
}
