import type { BenchReport } from "./build-report.js";
import {
  AIM_HEADER,
  aimRows,
  otherRows,
  PHASE_HEADER,
  SEED_HEADER,
  seedRows,
  WEB_HEADER,
  webRows,
} from "./report-rows.js";

/** Columns padded to their widest cell. */
export function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function printReport(report: BenchReport, log: (line: string) => void): void {
  log("");
  for (const line of alignedTable(WEB_HEADER, webRows(report))) log(line);
  for (const row of otherRows(report)) log(`${row[0]}  ${row[1]}: ${row[2]}`);
  log("");
  for (const line of alignedTable(AIM_HEADER, aimRows(report))) log(line);
  const seed = seedRows(report);
  if (seed.figures.length > 0) {
    log("");
    for (const line of alignedTable(SEED_HEADER, seed.figures)) log(line);
    log("");
    for (const line of alignedTable(PHASE_HEADER, seed.phases)) log(line);
  }
  const load = report.machine.loadAverageAtStart[0] ?? 0;
  if (load > report.machine.cpus)
    log(
      `\nnote: load average ${load.toFixed(1)} on ${report.machine.cpus} cores at the start: figures are noisy, ratios less so`,
    );
}
