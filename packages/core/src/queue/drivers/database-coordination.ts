import type { Kysely } from "kysely";
import type { QueueTables } from "../queue-tables.js";
import type { WorkerBeat } from "../types.js";
import { type SqlDialect, toNumber } from "./database-rows.js";

/** Upserts a worker's heartbeat row, and tidies rows of long-dead workers and past claims. */
export async function recordWorkerBeat(
  db: Kysely<QueueTables>,
  dialect: SqlDialect,
  beat: WorkerBeat,
  ttlMs: number,
): Promise<void> {
  const row = {
    id: beat.id,
    host: beat.host.slice(0, 191),
    pid: beat.pid,
    queues: beat.queues.join(",").slice(0, 1000),
    state: beat.state,
    started_at: beat.startedAt,
    last_seen_at: beat.lastSeenAt,
    expires_at: beat.lastSeenAt + ttlMs,
    processed: beat.processed,
    failed: beat.failed,
    completed_last_minute: beat.completedLastMinute,
    failed_last_minute: beat.failedLastMinute,
  };
  const { id: _id, ...changes } = row;
  const insert = db.insertInto("queue_workers").values(row);
  await (dialect === "mysql"
    ? insert.onDuplicateKeyUpdate(changes)
    : insert.onConflict((conflict) => conflict.column("id").doUpdateSet(changes))
  ).execute();
  // Workers that died without saying goodbye, and claims of past periods.
  await db
    .deleteFrom("queue_workers")
    .where("expires_at", "<", beat.lastSeenAt - 3_600_000)
    .execute();
  await db
    .deleteFrom("queue_claims")
    .where("expires_at", "<", beat.lastSeenAt - 60_000)
    .execute();
}

/** Workers whose heartbeat has not expired. */
export async function listWorkerBeats(db: Kysely<QueueTables>): Promise<WorkerBeat[]> {
  const rows = await db
    .selectFrom("queue_workers")
    .selectAll()
    .where("expires_at", ">=", Date.now())
    .orderBy("started_at")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    pid: toNumber(row.pid),
    queues: row.queues.split(",").filter(Boolean),
    state: row.state === "stopping" ? "stopping" : "running",
    startedAt: toNumber(row.started_at),
    lastSeenAt: toNumber(row.last_seen_at),
    processed: toNumber(row.processed),
    failed: toNumber(row.failed),
    completedLastMinute: toNumber(row.completed_last_minute),
    failedLastMinute: toNumber(row.failed_last_minute),
  }));
}

/** The scheduler's claim: the primary key lets exactly one insert of `key` win until it expires. */
export async function claimPeriod(
  db: Kysely<QueueTables>,
  dialect: SqlDialect,
  key: string,
  owner: string,
  ttlMs: number,
): Promise<boolean> {
  const now = Date.now();
  await db.deleteFrom("queue_claims").where("claim_key", "=", key).where("expires_at", "<", now).execute();
  const insert = db.insertInto("queue_claims").values({ claim_key: key, owner, expires_at: now + ttlMs });
  if (dialect === "sqlite") {
    const result = await insert
      .onConflict((conflict) => conflict.column("claim_key").doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }
  // mysql2 counts found rows, so ON DUPLICATE KEY cannot tell "inserted" from "was there": let the key refuse.
  try {
    await insert.execute();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "ER_DUP_ENTRY") return false;
    throw error;
  }
}
