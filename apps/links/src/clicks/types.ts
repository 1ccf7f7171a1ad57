/** One click, reduced to what is kept. */
export interface Click {
  readonly linkId: number;
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  /** '' when there was no (usable) referrer. */
  readonly referrerHost: string;
}

/** Clicks of one (link, day, referrer) cell. */
export interface ClickCount extends Click {
  readonly count: number;
}

/**
 * Counts clicks on the redirect's hot path without a database write per
 * request. Counts wait in the driver (a Redis hash, or an in-process buffer
 * written to `link_click_buffer` in batches) until the `links:flush-clicks` job
 * moves them into `link_clicks_daily`.
 *
 * What a crash can lose:
 * - `redis`: nothing that was acknowledged — `record` resolves after Redis
 *   applied HINCRBY, and the flush is crash-safe (see RedisClickSource). Only
 *   Redis' own durability (AOF/RDB) remains.
 * - `database`: the clicks of the last batch interval (default 1 s) of a process
 *   that dies without shutting down (kill -9, power loss). A clean shutdown
 *   writes them.
 */
export interface ClickCounter {
  readonly driver: "redis" | "database";
  /** Counts one click. */
  record(click: Click): Promise<void>;
  /** Counts of `linkId` not yet flushed to link_clicks_daily (for live numbers on the stats page). */
  pending(linkId: number): Promise<ClickCount[]>;
  /** Writes what this process still holds to shared storage (no-op for redis). */
  drain(): Promise<void>;
  /** Stops timers and drains. */
  close(): Promise<void>;
}

/** The cell of a click as one string: `linkId|day|host` (hosts never contain `|`). */
export function cellOf(click: Click): string {
  return `${click.linkId}|${click.day}|${click.referrerHost}`;
}

const CELL = /^(\d{1,15})\|(\d{4}-\d{2}-\d{2})\|([a-z0-9.-]{0,255})$/;

/** Parses a cell written by {@link cellOf}; undefined for anything else (a foreign or corrupt field). */
export function parseCell(cell: string): Click | undefined {
  const match = CELL.exec(cell);
  if (match === null) return undefined;
  return { linkId: Number(match[1]), day: match[2] ?? "", referrerHost: match[3] ?? "" };
}

/** Adds counts of equal cells together. */
export function sumCells(counts: Iterable<ClickCount>): ClickCount[] {
  const byCell = new Map<string, ClickCount>();
  for (const count of counts) {
    const cell = cellOf(count);
    const seen = byCell.get(cell);
    byCell.set(cell, seen === undefined ? { ...count } : { ...seen, count: seen.count + count.count });
  }
  return [...byCell.values()];
}
