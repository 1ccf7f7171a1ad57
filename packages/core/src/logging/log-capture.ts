import type { DestinationStream } from "pino";

/** One parsed log line: pino's fields plus whatever the caller logged. */
export interface LogLine {
  readonly level: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export interface LogCapture {
  /** Pass as `createLogger(config, { destination })`. */
  readonly destination: DestinationStream;
  /** Every line written so far, parsed. */
  lines(): LogLine[];
  /** Everything written so far, raw, for "never contains" assertions. */
  text(): string;
}

/**
 * Collects a logger's output in memory, for tests that assert what was (and
 * was not) logged. Real pino serialisation and redaction run on every line.
 */
export function createLogCapture(): LogCapture {
  const chunks: string[] = [];
  return {
    destination: { write: (chunk: string) => void chunks.push(chunk) },
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as LogLine),
    text: () => chunks.join(""),
  };
}
