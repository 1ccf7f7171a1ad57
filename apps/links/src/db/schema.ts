import type { Generated } from "kysely";

/** One short link. `enabled` is 0/1 on both dialects (SQLite has no boolean). */
export interface LinksTable {
  id: Generated<number>;
  /** Case-sensitive (binary collation on MySQL): generated slugs mix cases. */
  slug: string;
  /** Normalised absolute http(s) URL (`new URL(…).href`). */
  target_url: string;
  title: string;
  enabled: number;
  /** A user id of the shared `users` table (marg-rbac): no foreign key across databases. */
  owner_id: number;
  created_at: number;
  updated_at: number;
}

/** Tags of a link: lowercase words, one row each. */
export interface LinkTagsTable {
  link_id: number;
  tag: string;
}

/** Flushed click counts: one row per link, UTC day and referrer host ('' = none). */
export interface LinkClicksDailyTable {
  link_id: number;
  /** `YYYY-MM-DD` (UTC); sorts as text. */
  day: string;
  referrer_host: string;
  clicks: number;
}

/** Clicks of the embedded counter, waiting for the flush job (batched inserts, never per request). */
export interface LinkClickBufferTable {
  id: Generated<number>;
  link_id: number;
  day: string;
  referrer_host: string;
  clicks: number;
  created_at: number;
}

/** Flushes already applied to link_clicks_daily, so a rerun after a crash never counts twice. */
export interface LinkClickFlushesTable {
  flush_id: string;
  source: string;
  row_count: number;
  clicks: number;
  flushed_at: number;
}

export interface LinksTables {
  links: LinksTable;
  link_tags: LinkTagsTable;
  link_clicks_daily: LinkClicksDailyTable;
  link_click_buffer: LinkClickBufferTable;
  link_click_flushes: LinkClickFlushesTable;
}
