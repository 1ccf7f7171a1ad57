import type { Kysely } from "kysely";
import type { LinksTables } from "../db/schema.js";
import { type Click, type ClickCount, type ClickCounter, cellOf, parseCell } from "./types.js";

export interface DatabaseClickCounterOptions {
  /** How often the in-process buffer is written to link_click_buffer. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Rows per INSERT statement. Default 200. */
  readonly batchRows?: number;
  readonly onError?: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * The embedded driver: clicks are summed in memory per (link, day, referrer) and
 * written to `link_click_buffer` once a second with multi-row INSERTs, so a
 * thousand clicks on one link cost one row, not a thousand writes. A failed
 * write keeps the counts for the next tick. `close()` (at shutdown) writes the
 * rest; a process killed without shutdown loses at most one interval.
 */
export class DatabaseClickCounter implements ClickCounter {
  readonly driver = "database";
  readonly #db: Kysely<LinksTables>;
  readonly #options: DatabaseClickCounterOptions;
  #buffer = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(db: Kysely<LinksTables>, options: DatabaseClickCounterOptions = {}) {
    this.#db = db;
    this.#options = options;
  }

  async record(click: Click): Promise<void> {
    if (this.#closed) throw new Error("the click counter is closed");
    const cell = cellOf(click);
    this.#buffer.set(cell, (this.#buffer.get(cell) ?? 0) + 1);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.drain();
    }, this.#options.intervalMs ?? 1000).unref();
  }

  async pending(linkId: number): Promise<ClickCount[]> {
    const local: ClickCount[] = [];
    for (const [cell, count] of this.#buffer) {
      const click = parseCell(cell);
      if (click?.linkId === linkId) local.push({ ...click, count });
    }
    const rows = await this.#db
      .selectFrom("link_click_buffer")
      .select(["day", "referrer_host", (eb) => eb.fn.sum<number | string>("clicks").as("clicks")])
      .where("link_id", "=", linkId)
      .groupBy(["day", "referrer_host"])
      .execute();
    return [
      ...local,
      ...rows.map((row) => ({
        linkId,
        day: row.day,
        referrerHost: row.referrer_host,
        count: Number(row.clicks),
      })),
    ];
  }

  /** Writes the buffer now; writes never overlap, and a failed one puts its counts back. */
  drain(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#write());
    return this.#writing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.drain();
  }

  async #write(): Promise<void> {
    if (this.#buffer.size === 0) return;
    const taken = this.#buffer;
    this.#buffer = new Map();
    const now = (this.#options.now ?? Date.now)();
    const rows = [...taken].flatMap(([cell, clicks]) => {
      const click = parseCell(cell);
      return click === undefined
        ? []
        : [
            {
              link_id: click.linkId,
              day: click.day,
              referrer_host: click.referrerHost,
              clicks,
              created_at: now,
            },
          ];
    });
    const size = this.#options.batchRows ?? 200;
    try {
      // One transaction: all of the batch lands, or none and it is retried whole.
      await this.#db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += size) {
          await trx
            .insertInto("link_click_buffer")
            .values(rows.slice(i, i + size))
            .execute();
        }
      });
    } catch (error) {
      for (const [cell, count] of taken) this.#buffer.set(cell, (this.#buffer.get(cell) ?? 0) + count);
      this.#options.onError?.(error);
      if (!this.#closed) {
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          void this.drain();
        }, this.#options.intervalMs ?? 1000).unref();
      }
    }
  }
}
