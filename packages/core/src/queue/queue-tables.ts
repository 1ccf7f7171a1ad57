import type { Generated } from "kysely";

/** The database driver's tables (in the shared rbac database), times as epoch ms. */
export interface QueueTables {
  queue_jobs: QueueJobsTable;
  queue_failed_jobs: QueueFailedJobsTable;
  queue_workers: QueueWorkersTable;
  queue_claims: QueueClaimsTable;
}

export interface QueueJobsTable {
  /** Insertion order: first in, first out within a priority. */
  seq: Generated<number>;
  id: string;
  queue: string;
  name: string;
  payload: string;
  priority: number;
  attempts: number;
  stalls: number;
  max_attempts: number | null;
  backoff_type: string;
  backoff_ms: number;
  timeout_ms: number | null;
  available_at: number;
  /** Set while a worker holds the job; a past value means that worker died (a stall). */
  reserved_until: number | null;
  reserved_by: string | null;
  /** Token of the reservation, so only its holder can complete, retry or fail the job. */
  reservation: string | null;
  last_error: string | null;
  dispatched_at: number;
}

export interface QueueFailedJobsTable {
  id: string;
  queue: string;
  name: string;
  payload: string;
  error: string;
  attempts: number;
  stalls: number;
  priority: number;
  max_attempts: number | null;
  backoff_type: string;
  backoff_ms: number;
  timeout_ms: number | null;
  dispatched_at: number;
  failed_at: number;
}

export interface QueueWorkersTable {
  id: string;
  host: string;
  pid: number;
  queues: string;
  state: string;
  started_at: number;
  last_seen_at: number;
  expires_at: number;
  processed: number;
  failed: number;
  completed_last_minute: number;
  failed_last_minute: number;
}

export interface QueueClaimsTable {
  claim_key: string;
  owner: string;
  expires_at: number;
}
