/** `%text%` for LIKE with `!` as the escape character, so `%` and `_` typed by a user match themselves. */
export function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/** The id of a row just inserted: a bigint on MySQL, a number on SQLite. */
export function insertedId(result: { insertId?: bigint | number | undefined }): number {
  if (result.insertId === undefined) throw new Error("the database returned no id for the inserted row");
  return Number(result.insertId);
}

/** Number of pages for `total` rows, at least 1 so "page 1 of 1" reads right when empty. */
export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}
