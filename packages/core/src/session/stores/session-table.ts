import type { ColumnType } from "kysely";

/** bigint epoch ms: mysql2 may hand BIGINT back as a string, so reads accept both. */
type Millis = ColumnType<number | string, number, number>;

/** The `sessions` table on the shared `rbac` connection (see session-migrations.ts). */
export interface SessionsTable {
  /** SHA-256 of the session id, lowercase hex: never the id itself. */
  id: string;
  user_id: string | null;
  /** JSON object of field → encoded value (ciphertext when SESSION_ENCRYPT=true). */
  payload: string;
  /** Bumped by every write; a write applies only to the version it read (optimistic concurrency). */
  version: number;
  created_at: Millis;
  last_activity: Millis;
  expires_at: Millis;
}

export interface SessionDatabase {
  sessions: SessionsTable;
}
