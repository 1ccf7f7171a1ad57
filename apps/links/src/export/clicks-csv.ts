import { batchesOf, writeCsvFile } from "@marg/core/web";
import type { ClickExportRow } from "./repository.js";

/** The columns of a link's clicks export, for the payload's `columns` and the streamed file alike. */
export const CLICKS_CSV_COLUMNS = ["day", "referrer_host", "clicks"] as const;

/** Rows per write while streaming. */
const BATCH = 1_000;

/**
 * Writes a link's clicks export to `file` as the rows arrive from the database
 * (`streamClickExportRows`): any number of rows, one batch in memory.
 * For the job that makes the export from its query (link, days) instead of rows
 * carried in its payload. Resolves to the rows written.
 */
export async function writeClicksCsv(file: string, rows: AsyncIterable<ClickExportRow>): Promise<number> {
  async function* cells() {
    for await (const batch of batchesOf(rows, BATCH))
      yield batch.map((row) => [row.day, row.host, row.clicks]);
  }
  return writeCsvFile(file, CLICKS_CSV_COLUMNS, cells());
}
