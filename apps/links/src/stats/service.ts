import { dayOf, daysEnding } from "../clicks/click-facts.js";
import type { ClickCounter } from "../clicks/types.js";
import type { StatsRepository } from "./repository.js";

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
    private readonly repository: StatsRepository,
    private readonly counter: ClickCounter,
    private readonly now: () => number = Date.now,
  ) {}

  async forLink(linkId: number, days: number, topReferrers = 10): Promise<LinkStats> {
    const range = daysEnding(dayOf(this.now()), days);
    const from = range[0] ?? dayOf(this.now());
    const cells = await this.repository.clicksSince(linkId, from);
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
}
