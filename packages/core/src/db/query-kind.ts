import { type CompiledQuery, RawNode, SelectQueryNode } from "kysely";

/**
 * How a statement may be routed:
 * - `read`: a plain SELECT built with the query builder — a replica may answer it;
 * - `primary-read`: reads that must see the primary (locking SELECTs, raw SELECT/SHOW);
 * - `write`: everything else (INSERT/UPDATE/DELETE, DDL, unknown raw SQL).
 */
export type QueryKind = "read" | "primary-read" | "write";

const LOCKING = new Set(["ForUpdate", "ForNoKeyUpdate", "ForShare", "ForKeyShare"]);
// Raw SQL is opaque; only statements that plainly cannot change data count as reads.
const RAW_READ = /^\s*(select|show|explain|describe|desc)\b/i;
const RAW_LOCK = /\b(for\s+update|lock\s+in\s+share\s+mode|for\s+share|get_lock|release_lock)\b/i;

/** Classifies a compiled query by its operation node (raw SQL by its first word). */
export function classifyQuery(compiled: CompiledQuery): QueryKind {
  const node = compiled.query;
  if (SelectQueryNode.is(node)) {
    const locking = (node.endModifiers ?? []).some(
      (modifier) => modifier.rawModifier !== undefined || LOCKING.has(modifier.modifier ?? ""),
    );
    return locking ? "primary-read" : "read";
  }
  if (RawNode.is(node)) {
    return RAW_READ.test(compiled.sql) && !RAW_LOCK.test(compiled.sql) ? "primary-read" : "write";
  }
  return "write";
}
