import type { Migration } from "kysely";

/** The three connections every app process has. */
export type ConnectionName = "app" | "rbac" | "business";

/**
 * Migrations one module (core's session store, the flow app, …) contributes to one
 * connection. Names sort by time: `2026_11_25_120000_create_sessions`. Migrations
 * are written once with Kysely's schema builder and run on both SQLite and MySQL;
 * store times as `bigint` epoch milliseconds so both dialects read them the same.
 */
export interface MigrationSet {
  /** Who owns these migrations: `core:session`, `flow`, … (shown by migrate:status). */
  readonly source: string;
  readonly connection: ConnectionName;
  readonly migrations: Readonly<Record<string, Migration>>;
}
