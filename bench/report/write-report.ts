import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
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

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escapeCell = (cell: string) => cell.replaceAll("|", "\\|");
  return [
    `| ${header.map(escapeCell).join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(" | ")} |`),
  ].join("\n");
}

export function reportMarkdown(report: BenchReport): string {
  const seed = seedRows(report);
  const machine = report.machine;
  return `# MARG bench — ${report.date}

${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(" ")} at the start.
Settings: ${JSON.stringify(report.settings)}. Took ${report.elapsedSeconds} s.
Medians of the rounds, (min–max) across rounds; ratios are taken round by round within this run.

${markdownTable(WEB_HEADER, webRows(report))}

${otherRows(report)
  .map((row) => `- **${row[0]}** ${row[1]}: ${row[2]}`)
  .join("\n")}

## Aims (issue 10)

${markdownTable(AIM_HEADER, aimRows(report))}
${
  seed.figures.length === 0
    ? ""
    : `
## The seed's capacity table, measured

${markdownTable(SEED_HEADER, seed.figures)}

${markdownTable(PHASE_HEADER, seed.phases)}
`
}`;
}

/** Writes latest.json and latest.md into `dir`; returns their paths. */
export function writeReport(report: BenchReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "latest.json");
  const markdown = path.join(dir, "latest.md");
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(markdown, reportMarkdown(report));
  return [json, markdown];
}
