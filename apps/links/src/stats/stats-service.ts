import type { Kysely } from "kysely";
import type { ClickCounter } from "../clicks/types.js";
import type { LinksTables } from "../db/links-schema.js";
import { dayOf, daysEnding } from "../domain/click-facts.js";

/** One row of a link's clicks export: a day, a referrer host ("" = direct), its clicks. */
export interface ClickExportRow {
  readonly day: string;
  readonly host: string;
  readonly clicks: number;
}

const toExportRow = (row: { day: string; referrer_host: string; clicks: number | string | bigint }) => ({
  day: row.day,
  host: row.referrer_host,
  clicks: Number(row.clicks),
});

export interface DayClicks {
  readonly day: string;
  readonly clicks: number;
}

export interface ReferrerClicks {
  /** '' means "no referrer" (typed, bookmarked, or hidden by the browser). */
  readonly host: string;
  readonly clicks: number;
}

export interface LinkStats {
  readonly days: readonly DayClicks[];
  readonly referrers: readonly ReferrerClicks[];
  readonly total: number;
  /** Clicks counted but not yet flushed (already included in the numbers above). */
  readonly pending: number;
}

/**
 * Clicks per day and top referrers of one link over the last `days` days:
 * link_clicks_daily plus what still waits in the counter, so a click shows up
 * at once instead of after the next flush.
 */
export class StatsService {
  constructor(
    private readonly db: Kysely<LinksTables>,
    private readonly counter: ClickCounter,
    private readonly now: () => number = Date.now,
  ) {}

  async forLink(linkId: number, days: number, topReferrers = 10): Promise<LinkStats> {
    const range = daysEnding(dayOf(this.now()), days);
    const from = range[0] ?? dayOf(this.now());
    const rows = await this.db
      .selectFrom("link_clicks_daily")
      .select(["day", "referrer_host", "clicks"])
      .where("link_id", "=", linkId)
      .where("day", ">=", from)
      .execute();
    const cells = rows.map((row) => ({ day: row.day, host: row.referrer_host, clicks: Number(row.clicks) }));
    let pending = 0;
    for (const count of await this.counter.pending(linkId)) {
      if (count.day < from) continue;
      pending += count.count;
      cells.push({ day: count.day, host: count.referrerHost, clicks: count.count });
    }
    const perDay = new Map<string, number>();
    const perHost = new Map<string, number>();
    for (const cell of cells) {
      perDay.set(cell.day, (perDay.get(cell.day) ?? 0) + cell.clicks);
      perHost.set(cell.host, (perHost.get(cell.host) ?? 0) + cell.clicks);
    }
    const referrers = [...perHost]
      .map(([host, clicks]) => ({ host, clicks }))
      .sort((a, b) => b.clicks - a.clicks || a.host.localeCompare(b.host))
      .slice(0, topReferrers);
    return {
      days: range.map((day) => ({ day, clicks: perDay.get(day) ?? 0 })),
      referrers,
      total: [...perDay.values()].reduce((sum, clicks) => sum + clicks, 0),
      pending,
    };
  }

  /**
   * The export's rows as the caller consumes them (see `streamClickExportRows`);
   * the range ends today unless `lastDay` says which day it ends on.
   */
  streamRowsForExport(linkId: number, days: number, lastDay?: string): AsyncGenerator<ClickExportRow> {
    return streamClickExportRows(this.db, { linkId, days, lastDay: lastDay ?? dayOf(this.now()) });
  }
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
  for await (const row of exportQuery(db, query).stream(1_000)) yield toExportRow(row);
}
