import type { RedisConnections } from "@marg/core/redis";
import type { Kysely } from "kysely";
import type { LinksTables } from "../db/schema.js";
import { BufferTableSource } from "./buffer-table-source.js";
import { RedisClickSource } from "./redis-click-source.js";
import { type FlushHooks, pruneFlushRecords } from "./repository.js";

/** Flush records are kept this long; a pending Redis hash is retried every minute, so this is ample. */
const KEEP_FLUSH_RECORDS_MS = 30 * 86_400_000;

export interface FlushClicksDeps {
  readonly db: Kysely<LinksTables>;
  /** Present when the installation has Redis: its live hash is flushed too. */
  readonly redis?: RedisConnections | undefined;
  readonly now?: () => number;
}

export interface FlushClicksReport {
  readonly clicks: number;
  readonly bySource: Readonly<Record<string, { flushes: number; clicks: number }>>;
}

/**
 * What `links:flush-clicks` does: moves every waiting count (Redis hash and the
 * embedded buffer table — both, so switching drivers never strands clicks) into
 * link_clicks_daily. Safe to run at any time, concurrently, and again after a
 * crash: each source applies each batch exactly once.
 */
export async function flushClicks(
  deps: FlushClicksDeps,
  options: { hooks?: FlushHooks; signal?: AbortSignal } = {},
): Promise<FlushClicksReport> {
  const now = (deps.now ?? Date.now)();
  const sources = [
    ...(deps.redis === undefined ? [] : [new RedisClickSource(deps.redis, deps.db)]),
    new BufferTableSource(deps.db),
  ];
  const bySource: Record<string, { flushes: number; clicks: number }> = {};
  let clicks = 0;
  for (const source of sources) {
    const report = await source.flush({ now, ...options });
    bySource[source.name] = report;
    clicks += report.clicks;
  }
  await pruneFlushRecords(deps.db, now - KEEP_FLUSH_RECORDS_MS);
  return { clicks, bySource };
}
