import { sqlDialectOf } from "@marg/core/cache";
import { type Kysely, sql, type Transaction } from "kysely";
import type { LinksTables } from "../db/schema.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import type { ClickCount } from "./types.js";

const CHUNK = 200;

/** What a source may check between steps: a hook tests use to stop a flush at its worst moments. */
export interface FlushHooks {
  /** Inside the transaction, after the upserts, before COMMIT: throwing rolls everything back. */
  beforeCommit?(flushId: string): Promise<void> | void;
  /** After COMMIT, before the source removes what it flushed: throwing leaves both in place. */
  afterCommit?(flushId: string): Promise<void> | void;
}

/** Adds counts to link_clicks_daily (one upsert per chunk of cells), the same on SQLite and MySQL. */
export async function upsertDailyClicks(
  trx: Transaction<LinksTables>,
  counts: readonly ClickCount[],
): Promise<void> {
  const mysql = sqlDialectOf<LinksTables>(trx) === "mysql";
  for (let i = 0; i < counts.length; i += CHUNK) {
    const values = counts.slice(i, i + CHUNK).map((count) => ({
      link_id: count.linkId,
      day: count.day,
      referrer_host: count.referrerHost,
      clicks: count.count,
    }));
    const insert = trx.insertInto("link_clicks_daily").values(values);
    await (mysql
      ? insert.onDuplicateKeyUpdate({ clicks: sql`${sql.ref("clicks")} + values(${sql.ref("clicks")})` })
      : insert.onConflict((oc) =>
          oc
            .columns(["link_id", "day", "referrer_host"])
            .doUpdateSet({ clicks: sql`${sql.ref("link_clicks_daily.clicks")} + excluded.clicks` }),
        )
    ).execute();
  }
}

/** Keeps only counts of links that still exist (a link deleted before the flush loses its pending clicks). */
export async function keepExistingLinks(
  trx: Transaction<LinksTables>,
  counts: readonly ClickCount[],
): Promise<ClickCount[]> {
  const ids = [...new Set(counts.map((count) => count.linkId))];
  const existing = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await trx
      .selectFrom("links")
      .select("id")
      .where("id", "in", ids.slice(i, i + 500))
      .execute();
    for (const row of rows) existing.add(Number(row.id));
  }
  return counts.filter((count) => existing.has(count.linkId));
}

/**
 * Applies one flush exactly once: in ONE transaction, records `flushId` in
 * link_click_flushes and adds the counts. A rerun of the same flush id (after a
 * crash between COMMIT and cleanup, or by a second worker at the same time) finds
 * the record — or loses the race on its primary key — and adds nothing.
 * Returns false when the flush had already been applied.
 */
export async function applyFlushOnce(
  db: Kysely<LinksTables>,
  flush: { id: string; source: string; counts: readonly ClickCount[]; now: number },
  hooks: FlushHooks = {},
): Promise<boolean> {
  try {
    return await db.transaction().execute(async (trx) => {
      const done = await trx
        .selectFrom("link_click_flushes")
        .select("flush_id")
        .where("flush_id", "=", flush.id)
        .executeTakeFirst();
      if (done !== undefined) return false;
      const counts = await keepExistingLinks(trx, flush.counts);
      await trx
        .insertInto("link_click_flushes")
        .values({
          flush_id: flush.id,
          source: flush.source,
          row_count: counts.length,
          clicks: counts.reduce((sum, count) => sum + count.count, 0),
          flushed_at: flush.now,
        })
        .execute();
      await upsertDailyClicks(trx, counts);
      await hooks.beforeCommit?.(flush.id);
      return true;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Forgets flush records older than `keepMs` (their hashes are long gone). */
export async function pruneFlushRecords(db: Kysely<LinksTables>, olderThan: number): Promise<void> {
  await db.deleteFrom("link_click_flushes").where("flushed_at", "<", olderThan).execute();
}
