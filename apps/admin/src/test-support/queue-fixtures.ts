import type { QueueTables } from "@marg/core/queue";
import type { Kysely } from "kysely";
import type { AdminDatabase } from "../database.js";

/**
 * Rows of the database queue driver, written as a worker would leave them, so the
 * dashboard reads a real backend without running jobs to failure first.
 */
export function queueTables(db: Kysely<AdminDatabase>): Kysely<QueueTables> {
  return db as unknown as Kysely<QueueTables>;
}

export async function insertFailedJob(
  db: Kysely<AdminDatabase>,
  job: { id: string; name: string; payload: unknown; error: string; queue?: string },
): Promise<void> {
  const now = Date.now();
  await queueTables(db)
    .insertInto("queue_failed_jobs")
    .values({
      id: job.id,
      queue: job.queue ?? "default",
      name: job.name,
      payload: JSON.stringify(job.payload),
      error: job.error,
      attempts: 3,
      stalls: 0,
      priority: 100,
      max_attempts: 3,
      backoff_type: "exponential",
      backoff_ms: 1000,
      timeout_ms: null,
      dispatched_at: now - 60_000,
      failed_at: now,
    })
    .execute();
}

export async function insertWaitingJob(
  db: Kysely<AdminDatabase>,
  id: string,
  queue = "default",
): Promise<void> {
  const now = Date.now();
  await queueTables(db)
    .insertInto("queue_jobs")
    .values({
      id,
      queue,
      name: "mail:send",
      payload: "{}",
      priority: 100,
      attempts: 0,
      stalls: 0,
      max_attempts: null,
      backoff_type: "exponential",
      backoff_ms: 1000,
      timeout_ms: null,
      available_at: now,
      reserved_until: null,
      reserved_by: null,
      reservation: null,
      last_error: null,
      dispatched_at: now,
    })
    .execute();
}

export async function insertLiveWorker(db: Kysely<AdminDatabase>, id: string): Promise<void> {
  const now = Date.now();
  await queueTables(db)
    .insertInto("queue_workers")
    .values({
      id,
      host: "worker-1",
      pid: 4242,
      queues: "default",
      state: "running",
      started_at: now - 3_600_000,
      last_seen_at: now,
      expires_at: now + 3_600_000,
      processed: 17,
      failed: 2,
      completed_last_minute: 5,
      failed_last_minute: 1,
    })
    .execute();
}

/** Mails waiting on the queue (`mail.send` jobs a worker would send), oldest first. */
export async function queuedMails(
  db: Kysely<AdminDatabase>,
): Promise<{ to: string; subject: string; text: string }[]> {
  const rows = await queueTables(db)
    .selectFrom("queue_jobs")
    .select("payload")
    .where("name", "=", "mail.send")
    .orderBy("seq")
    .execute();
  return rows.map((row) => JSON.parse(row.payload));
}
