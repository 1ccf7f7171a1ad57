import type { Kysely } from "kysely";
import type { LinksTables } from "../db/schema.js";

/** One flushed cell of link_clicks_daily: a day, a referrer host ('' = none), its clicks. */
export interface DailyClicksRow {
  readonly day: string;
  readonly host: string;
  readonly clicks: number;
}

/** The SQL of the stats page: a link's flushed daily counts. */
export class StatsRepository {
  constructor(private readonly db: Kysely<LinksTables>) {}

  /** Every cell of `linkId` from `fromDay` (inclusive, `YYYY-MM-DD`) on. */
  async clicksSince(linkId: number, fromDay: string): Promise<DailyClicksRow[]> {
    const rows = await this.db
      .selectFrom("link_clicks_daily")
      .select(["day", "referrer_host", "clicks"])
      .where("link_id", "=", linkId)
      .where("day", ">=", fromDay)
      .execute();
    return rows.map((row) => ({ day: row.day, host: row.referrer_host, clicks: Number(row.clicks) }));
  }
}
