import { createWriteStream } from "node:fs";
import { unlink } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export type CsvValue = string | number | null;

/**
 * One CSV cell: quoted when needed, and a leading = + - @ defused with a quote
 * so a spreadsheet never runs a cell as a formula.
 */
export function csvCell(value: CsvValue): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, CRLF-terminated (RFC 4180). */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/**
 * Writes a CSV export to `file` as its rows arrive (batches from a database stream),
 * with back-pressure: memory holds one batch, however long the export. Resolves to the
 * number of rows written; on failure the partial file is removed.
 *
 * @example
 * const rows = await writeCsvFile(file, ["day", "clicks"], batchesOf(stats.streamRows(id), 500));
 */
export async function writeCsvFile(
  file: string,
  header: readonly string[],
  batches: AsyncIterable<readonly (readonly CsvValue[])[]>,
): Promise<number> {
  let written = 0;
  async function* text(): AsyncGenerator<string> {
    yield csvLine(header);
    for await (const batch of batches) {
      written += batch.length;
      yield batch.map(csvLine).join("");
    }
  }
  try {
    await pipeline(Readable.from(text()), createWriteStream(file));
  } catch (error) {
    await unlink(file).catch(() => undefined);
    throw error;
  }
  return written;
}

/** Groups a stream of items into arrays of at most `size`, for per-batch lookups and writes. */
export async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length < size) continue;
    yield batch;
    batch = [];
  }
  if (batch.length > 0) yield batch;
}
