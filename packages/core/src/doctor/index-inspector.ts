import { type Kysely, sql } from "kysely";
import { isMysql } from "../db/schema-helpers.js";

/** Column lists of every index of `table` (primary key included), in index order. */
export async function tableIndexes(db: Kysely<unknown>, table: string): Promise<string[][]> {
  if (isMysql(db)) {
    const { rows } = await sql<{ INDEX_NAME: string; COLUMN_NAME: string }>`
      SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${table}
      ORDER BY INDEX_NAME, SEQ_IN_INDEX`.execute(db);
    const byName = new Map<string, string[]>();
    for (const row of rows)
      byName.set(row.INDEX_NAME, [...(byName.get(row.INDEX_NAME) ?? []), row.COLUMN_NAME]);
    return [...byName.values()];
  }
  const { rows: list } = await sql<{ name: string }>`SELECT name FROM pragma_index_list(${table})`.execute(
    db,
  );
  const indexes: string[][] = [];
  for (const { name } of list) {
    const { rows } = await sql<{
      name: string;
    }>`SELECT name FROM pragma_index_info(${name}) ORDER BY seqno`.execute(db);
    indexes.push(rows.map((row) => row.name));
  }
  // A rowid alias (INTEGER PRIMARY KEY) has no index entry but is one.
  const { rows: pk } = await sql<{
    name: string;
    pk: number;
  }>`SELECT name, pk FROM pragma_table_info(${table}) WHERE pk > 0 ORDER BY pk`.execute(db);
  if (pk.length > 0) indexes.push(pk.map((row) => row.name));
  return indexes;
}

/** True when some index starts with `columns`, in that order (MySQL and SQLite use a leftmost prefix). */
export function isCovered(indexes: readonly (readonly string[])[], columns: readonly string[]): boolean {
  return indexes.some((index) =>
    columns.every((column, position) => index[position]?.toLowerCase() === column.toLowerCase()),
  );
}
