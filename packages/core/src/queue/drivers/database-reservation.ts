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

/** Runnable now in `queue`: due, and either never reserved or reserved by a worker whose lock ran out (a stall). */
function claimable(eb: JobsExpression, queue: string, now: number): Expression<SqlBool> {
  return eb.and([
    eb("queue", "=", queue),
    eb("available_at", "<=", now),
    eb.or([eb("reserved_until", "is", null), eb("reserved_until", "<", now)]),
  ]);
}

/**
 * The `limit` next runnable jobs of one queue, in the order of the claim index
 * (queue, priority, available_at, then seq): the database walks the index and
 * stops after `limit` rows. One ORDER BY term more (a rank of queues in one
 * query, or a repeated column) made SQLite sort every queued row on each claim
 * — 10 ms at 20,000 queued jobs, growing with the backlog — so `--queue
 * high,low` claims queue by queue instead (claimInOrder).
 */
function nextInQueue(db: Kysely<QueueTables>, queue: string, limit: number, now: number) {
  return db
    .selectFrom("queue_jobs")
    .where((eb) => claimable(eb, queue, now))
    .orderBy("priority")
    .orderBy("available_at")
    .orderBy("seq")
    .limit(limit);
}

/** `--queue high,low`: every runnable job of `high` before any of `low`; stops once `limit` are claimed. */
async function claimInOrder(
  request: ReserveRequest,
  claim: (queue: string, limit: number) => Promise<JobRow[]>,
): Promise<JobRow[]> {
  const rows: JobRow[] = [];
  for (const queue of request.queues) {
    if (rows.length >= request.limit) break;
    // UPDATE … RETURNING gives rows in no particular order: start them in claim order.
    const claimed = await claim(queue, request.limit - rows.length);
    claimed.sort((a, b) => a.priority - b.priority || a.available_at - b.available_at || a.seq - b.seq);
    rows.push(...claimed);
  }
  return rows;
}

/**
 * SQLite: one UPDATE … RETURNING per queue is atomic (SQLite has one writer at
 * a time; other processes wait on the busy timeout), so no two workers claim a row.
 */
async function reserveOnSqlite(
  db: Kysely<QueueTables>,
  request: ReserveRequest,
  token: string,
): Promise<JobRow[]> {
  return claimInOrder(request, (queue, limit) =>
    db
      .updateTable("queue_jobs")
      .set({
        stalls: sql<number>`stalls + (case when reserved_until is null then 0 else 1 end)`,
        reserved_until: request.now + request.lockDurationMs,
        reserved_by: request.workerId,
        reservation: token,
      })
      .where("seq", "in", nextInQueue(db, queue, limit, request.now).select("seq"))
      .returningAll()
      .execute(),
  );
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
      const rows = await claimInOrder(request, (queue, limit) =>
        nextInQueue(trx, queue, limit, request.now).selectAll().forUpdate().skipLocked().execute(),
      );
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
  return { token, rows };
}
