import type { Kysely } from "kysely";
import { daysEnding } from "../clicks/click-facts.js";
import type { LinksTables } from "../db/schema.js";

/** One row of a link's clicks export: a day, a referrer host ("" = direct), its clicks. */
export interface ClickExportRow {
  readonly day: string;
  readonly host: string;
  readonly clicks: number;
}

/** Which rows an export holds: one link's, over the `days` days ending with `lastDay` (inclusive). */
export interface ClickExportQuery {
  readonly linkId: number;
  readonly days: number;
  readonly lastDay: string;
}

function exportQuery(db: Kysely<LinksTables>, query: ClickExportQuery) {
  const from = daysEnding(query.lastDay, query.days)[0] ?? query.lastDay;
  return db
    .selectFrom("link_clicks_daily")
    .select(["day", "referrer_host", "clicks"])
    .where("link_id", "=", query.linkId)
    .where("day", ">=", from)
    .where("day", "<=", query.lastDay)
    .orderBy("day")
    .orderBy("referrer_host");
}

/**
 * The export's rows as the caller consumes them (mysql2's row stream, better-sqlite3's
 * iterator), for a job that writes them straight into a file: no limit, flat memory,
 * and nothing but the query (link, days, last day) travels in the job's payload.
 * Needs only links_db, so the worker's `links.export` handler calls it directly.
 */
export async function* streamClickExportRows(
  db: Kysely<LinksTables>,
  query: ClickExportQuery,
): AsyncGenerator<ClickExportRow> {
  for await (const row of exportQuery(db, query).stream(1_000)) {
    yield { day: row.day, host: row.referrer_host, clicks: Number(row.clicks) };
  }
}
