import { sqlDialectOf } from "@marg/core/cache";
import type { Kysely } from "kysely";
import type { LinksTables } from "../db/schema.js";
import type { SourceReport } from "./redis-click-source.js";
import { type FlushHooks, keepExistingLinks, upsertDailyClicks } from "./repository.js";
import { type ClickCount, sumCells } from "./types.js";

const BATCH = 2000;

/**
 * Moves link_click_buffer rows (the embedded counter's batches) into
 * link_clicks_daily. Each batch is one transaction that reads rows, upserts
 * their sums and deletes exactly those rows by id, so a crash anywhere rolls
 * the batch back whole and a rerun counts it once. Rows are deleted by id, not
 * by range: on MySQL a row with a smaller id may commit after we read.
 */
export class BufferTableSource {
  readonly name = "buffer";
  readonly #db: Kysely<LinksTables>;

  constructor(db: Kysely<LinksTables>) {
    this.#db = db;
  }

  async flush(options: { now: number; hooks?: FlushHooks; signal?: AbortSignal }): Promise<SourceReport> {
    let flushes = 0;
    let clicks = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const batch = await this.#flushBatch(options.now, options.hooks);
      if (batch.rows === 0) break;
      flushes += 1;
      clicks += batch.clicks;
      if (batch.rows < BATCH) break;
    }
    return { flushes, clicks };
  }

  async #flushBatch(now: number, hooks: FlushHooks | undefined): Promise<{ rows: number; clicks: number }> {
    const flushId = `buffer-${now}`;
    const result = await this.#db.transaction().execute(async (trx) => {
      let select = trx
        .selectFrom("link_click_buffer")
        .select(["id", "link_id", "day", "referrer_host", "clicks"])
        .orderBy("id")
        .limit(BATCH);
      if (sqlDialectOf<LinksTables>(trx) === "mysql") select = select.forUpdate();
      const rows = await select.execute();
      if (rows.length === 0) return { rows: 0, clicks: 0 };
      const counts: ClickCount[] = sumCells(
        rows.map((row) => ({
          linkId: Number(row.link_id),
          day: row.day,
          referrerHost: row.referrer_host,
          count: Number(row.clicks),
        })),
      );
      await upsertDailyClicks(trx, await keepExistingLinks(trx, counts));
      const ids = rows.map((row) => Number(row.id));
      for (let i = 0; i < ids.length; i += 500) {
        await trx
          .deleteFrom("link_click_buffer")
          .where("id", "in", ids.slice(i, i + 500))
          .execute();
      }
      await hooks?.beforeCommit?.(flushId);
      return { rows: rows.length, clicks: counts.reduce((sum, count) => sum + count.count, 0) };
    });
    if (result.rows > 0) await hooks?.afterCommit?.(flushId);
    return result;
  }
}
