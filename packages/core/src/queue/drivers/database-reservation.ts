import { randomUUID } from "node:crypto";
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import type { QueueTables } from "../queue-tables.js";
import type { JobRow, SqlDialect } from "./database-rows.js";

export interface Reservation {
  readonly token: string;
  readonly rows: JobRow[];
}

export interface ReserveRequest {
  readonly queues: readonly string[];
  readonly limit: number;
  readonly workerId: string;
  readonly lockDurationMs: number;
  readonly now: number;
}

type JobsExpression = ExpressionBuilder<QueueTables, "queue_jobs">;

/** Runnable now: due, and either never reserved or reserved by a worker whose lock ran out (a stall). */
function claimable(eb: JobsExpression, request: ReserveRequest): Expression<SqlBool> {
  return eb.and([
    eb("queue", "in", [...request.queues]),
    eb("available_at", "<=", request.now),
    eb.or([eb("reserved_until", "is", null), eb("reserved_until", "<", request.now)]),
  ]);
}

/**
 * `--queue high,low`: every job of `high` before any of `low`. With one queue
 * this ranks by priority alone (a constant ORDER BY term would name a column).
 */
function queueRank(queues: readonly string[]) {
  if (queues.length === 1) return sql.ref<number>("priority");
  const branches = queues.map((queue, index) => sql`when ${queue} then ${index}`);
  return sql<number>`case ${sql.ref("queue")} ${sql.join(branches, sql` `)} end`;
}

/**
 * SQLite: one UPDATE … RETURNING is atomic (SQLite has one writer at a time;
 * other processes wait on the busy timeout), so no two workers claim a row.
 */
async function reserveOnSqlite(
  db: Kysely<QueueTables>,
  request: ReserveRequest,
  token: string,
): Promise<JobRow[]> {
  return db
    .updateTable("queue_jobs")
    .set({
      stalls: sql<number>`stalls + (case when reserved_until is null then 0 else 1 end)`,
      reserved_until: request.now + request.lockDurationMs,
      reserved_by: request.workerId,
      reservation: token,
    })
    .where("seq", "in", (eb) =>
      eb
        .selectFrom("queue_jobs")
        .select("seq")
        .where((inner) => claimable(inner, request))
        .orderBy(queueRank(request.queues))
        .orderBy("priority")
        .orderBy("available_at")
        .orderBy("seq")
        .limit(request.limit),
    )
    .returningAll()
    .execute();
}

/**
 * MySQL/MariaDB (10.6+): SELECT … FOR UPDATE SKIP LOCKED in a short READ
 * COMMITTED transaction, so concurrent workers skip each other's rows instead
 * of waiting, then mark the rows as ours before committing.
 */
async function reserveOnMysql(
  db: Kysely<QueueTables>,
  request: ReserveRequest,
  token: string,
): Promise<JobRow[]> {
  return db
    .transaction()
    .setIsolationLevel("read committed")
    .execute(async (trx) => {
      const rows = await trx
        .selectFrom("queue_jobs")
        .selectAll()
        .where((eb) => claimable(eb, request))
        .orderBy(queueRank(request.queues))
        .orderBy("priority")
        .orderBy("available_at")
        .orderBy("seq")
        .limit(request.limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return [];
      const reservedUntil = request.now + request.lockDurationMs;
      await trx
        .updateTable("queue_jobs")
        // MySQL assigns left to right, so `stalls` must come before `reserved_until` changes.
        .set({
          stalls: sql<number>`stalls + (case when reserved_until is null then 0 else 1 end)`,
          reserved_until: reservedUntil,
          reserved_by: request.workerId,
          reservation: token,
        })
        .where(
          "seq",
          "in",
          rows.map((row) => row.seq),
        )
        .execute();
      return rows.map((row) => ({
        ...row,
        stalls: Number(row.stalls) + (row.reserved_until === null ? 0 : 1),
        reserved_until: reservedUntil,
        reserved_by: request.workerId,
        reservation: token,
      }));
    });
}

/** Claims up to `limit` runnable jobs for one worker, race-free across processes. */
export async function reserveJobs(
  db: Kysely<QueueTables>,
  dialect: SqlDialect,
  request: ReserveRequest,
): Promise<Reservation> {
  const token = randomUUID();
  const rows =
    dialect === "mysql"
      ? await reserveOnMysql(db, request, token)
      : await reserveOnSqlite(db, request, token);
  rows.sort((a, b) => a.priority - b.priority || a.available_at - b.available_at || a.seq - b.seq);
  return { token, rows };
}
