import { type Kysely, MysqlAdapter, SqliteAdapter } from "kysely";

export type SqlDialectName = "sqlite" | "mysql";

/**
 * Which SQL dialect a Kysely instance speaks, for the few statements (auto-increment
 * ids, upserts, casts) that differ. Falls back to identifier quoting so a wrapped
 * dialect (read replicas) is still recognised.
 */
export function sqlDialectOf<DB>(db: Kysely<DB>): SqlDialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return "sqlite";
  if (adapter instanceof MysqlAdapter) return "mysql";
  const probe = db.selectNoFrom((eb) => eb.val(1).as("probe_column")).compile().sql;
  return probe.includes("`") ? "mysql" : "sqlite";
}
