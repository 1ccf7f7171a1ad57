import type { Output } from "../output.js";
import type { CapacityPlan, TierInPhase } from "./capacity-plan.js";
import { type CapacityReport, TIER_LABELS } from "./capacity-report.js";
import {
  SEED_STATED_BOTTLENECK,
  SEED_STATED_HEADROOM,
  TIER_SCALING_NOTES,
  type TierId,
} from "./seed-capacity.js";

/** `marg capacity`'s text: a header, one table row per tier (seed, then measured), and notes. */

type Colors = Output["colors"];

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Headroom with as many digits as matter: 120x, 12.0x, 2.4x, 0.06x. */
export function formatHeadroom(headroom: number | null): string {
  if (headroom === null) return "-";
  if (headroom >= 100) return `${Math.round(headroom).toLocaleString("en-US")}x`;
  return `${headroom.toFixed(headroom >= 1 ? 1 : 2)}x`;
}

interface Column {
  readonly title: string;
  readonly align: "left" | "right";
  /** The cell's text, and whether it needs attention (shown red on a terminal). */
  cell(row: { seed: TierInPhase; measured: TierInPhase | undefined }): { text: string; alarm?: boolean };
}

function planColumns(which: "seed" | "measured", report: CapacityReport): Column[] {
  const pick = (row: { seed: TierInPhase; measured: TierInPhase | undefined }) =>
    which === "seed" ? row.seed : (row.measured ?? row.seed);
  const measuredNames = report.measured?.measuredFigures ?? [];
  const isMeasured = (tier: TierId) =>
    (tier === "app" && measuredNames.includes("appRequestsPerSecond")) ||
    (tier === "worker" && measuredNames.includes("workerJobsPerMinute"));
  // The measured work per request can change Redis's and MySQL's load: then show it too.
  const loadDiffers =
    which === "measured" &&
    report.measured !== null &&
    report.measured.plan.tiers.some((tier, i) => tier.load !== report.seed.plan.tiers[i]?.load);
  const load: Column[] = loadDiffers
    ? [{ title: "load", align: "right", cell: (row) => ({ text: number.format(pick(row).load) }) }]
    : [];
  return [
    ...load,
    {
      title: "per server",
      align: "right",
      cell: (row) => {
        const plan = pick(row);
        const borrowed = which === "measured" && !isMeasured(plan.tier);
        return { text: `${number.format(plan.capacityPerServer)}${borrowed ? "*" : ""}` };
      },
    },
    {
      title: "headroom",
      align: "right",
      cell: (row) => {
        const plan = pick(row);
        return { text: formatHeadroom(plan.headroom), alarm: plan.headroom !== null && plan.headroom < 1 };
      },
    },
    { title: "servers", align: "right", cell: (row) => ({ text: String(pick(row).serversNeeded) }) },
  ];
}

function columns(report: CapacityReport): Column[] {
  const phase = report.seed.plan.phase.phase.phase;
  const short = (row: { seed: TierInPhase; measured: TierInPhase | undefined }) =>
    !row.seed.phaseHasEnough || (row.measured !== undefined && !row.measured.phaseHasEnough);
  return [
    {
      title: "tier",
      align: "left",
      cell: (row) => ({ text: `${TIER_LABELS[row.seed.tier].name} (${TIER_LABELS[row.seed.tier].unit})` }),
    },
    { title: "load", align: "right", cell: (row) => ({ text: number.format(row.seed.load) }) },
    ...planColumns("seed", report),
    ...(report.measured === null ? [] : planColumns("measured", report)),
    {
      title: `phase ${phase} lists`,
      align: "right",
      cell: (row) => ({ text: String(row.seed.phaseServers), alarm: short(row) }),
    },
    { title: "HA minimum", align: "right", cell: (row) => ({ text: String(row.seed.redundancyMinimum) }) },
  ];
}

function renderTable(report: CapacityReport, colors: Colors): string[] {
  const cols = columns(report);
  const rows = report.seed.plan.tiers.map((seed, index) => ({
    seed,
    measured: report.measured?.plan.tiers[index],
  }));
  const cells = rows.map((row) => cols.map((col) => col.cell(row)));
  const widths = cols.map((col, i) =>
    Math.max(col.title.length, ...cells.map((row) => row[i]?.text.length ?? 0)),
  );
  const pad = (text: string, i: number) => {
    const width = widths[i] ?? 0;
    return cols[i]?.align === "left" ? text.padEnd(width) : text.padStart(width);
  };
  const lines: string[] = [];
  if (report.measured !== null) {
    // A caption over each group of three columns: the seed's, then the measured.
    const seedColumns = planColumns("seed", report).length;
    const measuredColumns = planColumns("measured", report).length;
    const span = (from: number, count: number) =>
      widths.slice(from, from + count).reduce((sum, w) => sum + w + 2, -2);
    const lead = span(0, 2) + 2;
    lines.push(
      `${" ".repeat(lead)}${"seed".padEnd(span(2, seedColumns))}  ` +
        `${"measured (* = the seed's, not measured)".padEnd(span(2 + seedColumns, measuredColumns))}`.trimEnd(),
    );
  }
  lines.push(colors.bold(cols.map((col, i) => pad(col.title, i)).join("  ")));
  for (const row of cells) {
    lines.push(
      row.map((cell, i) => (cell.alarm ? colors.red(pad(cell.text, i)) : pad(cell.text, i))).join("  "),
    );
  }
  return lines;
}

function bottleneckLine(plan: CapacityPlan, borrowed = false): string {
  if (plan.bottleneck === null) return "none (no tier has load)";
  const tier = plan.tiers.find((t) => t.tier === plan.bottleneck);
  const note = borrowed ? " (the seed's figure for it: the bench does not measure this tier)" : "";
  return `${TIER_LABELS[plan.bottleneck].name}, ${formatHeadroom(tier?.headroom ?? null)} headroom on one server${note}`;
}

function phaseFitLine(label: string, plan: CapacityPlan): string {
  const short = plan.tiers.filter((tier) => !tier.phaseHasEnough);
  const phase = plan.phase.phase.phase;
  if (short.length === 0) return `${label}: phase ${phase} lists enough servers for every tier.`;
  const list = short
    .map((t) => `${TIER_LABELS[t.tier].name} ${t.phaseServers} < ${t.serversNeeded}`)
    .join(", ");
  return `${label}: phase ${phase} lists fewer servers than needed: ${list}.`;
}

function notes(report: CapacityReport): string[] {
  const { plan } = report.seed;
  const lines: string[] = [];
  // At the seed's own load, say where its printed headroom rounds: 200 ÷ 83.3 is 2.4, not 2.5.
  const atSeedLoad =
    plan.requestsPerMinute === 5000 ? `, printed as ${SEED_STATED_HEADROOM.app}x: it rounds 2.4 up` : "";
  const seedSaid =
    plan.bottleneck === SEED_STATED_BOTTLENECK.tier
      ? ` (the seed: ${SEED_STATED_BOTTLENECK.quote}${atSeedLoad})`
      : "";
  lines.push(`bottleneck  seed: ${bottleneckLine(plan)}${seedSaid}`);
  if (report.measured !== null) {
    const { plan: measuredPlan, measuredFigures } = report.measured;
    const bottleneck = measuredPlan.bottleneck;
    const borrowed =
      bottleneck !== null &&
      !(bottleneck === "app" && measuredFigures.includes("appRequestsPerSecond")) &&
      !(bottleneck === "worker" && measuredFigures.includes("workerJobsPerMinute"));
    lines.push(`            measured: ${bottleneckLine(measuredPlan, borrowed)}`);
  }
  const { phase, beyond } = plan.phase;
  const where = beyond
    ? `beyond the seed's last range (phase 4 ends at 50,000 users); compared with phase 4`
    : `lands in phase ${phase.phase}, "${phase.title}"`;
  lines.push(`phase       ${number.format(plan.users)} users ${where}: ${phase.layout}.`);
  lines.push(`            ${phaseFitLine("seed", plan)}`);
  if (report.measured !== null) lines.push(`            ${phaseFitLine("measured", report.measured.plan)}`);
  // Only where the arithmetic asks for more than one server: that is when "add a server" needs care.
  for (const [index, tier] of plan.tiers.entries()) {
    const needed = Math.max(tier.serversNeeded, report.measured?.plan.tiers[index]?.serversNeeded ?? 0);
    const note = TIER_SCALING_NOTES[tier.tier];
    if (note !== undefined && needed > 1) lines.push(`scaling     ${TIER_LABELS[tier.tier].name}: ${note}.`);
  }
  return lines;
}

function measuredSource(report: CapacityReport): string[] {
  const m = report.measured;
  if (m === null) return [];
  const machine = [m.machine?.cpuModel, m.machine?.node].filter((part) => part !== undefined).join(", ");
  const lines = [
    `measured    ${m.file}${m.date === undefined ? "" : `, ${m.date}`}${machine === "" ? "" : ` (${machine})`}: ` +
      "one app process on one core (scenario C) = one 1-vCPU app server; one worker process = one worker server " +
      "(no-op jobs: a ceiling, real jobs cost their own work).",
  ];
  const extra = [
    m.capacity.anonymousRequestsPerSecond === undefined
      ? undefined
      : `anonymous page ${number.format(m.capacity.anonymousRequestsPerSecond)}/s`,
    m.capacity.redirectsPerSecond === undefined
      ? undefined
      : `redirects ${number.format(m.capacity.redirectsPerSecond)}/s`,
    m.capacity.loginsPerSecond === undefined
      ? undefined
      : `sign-ins ${number.format(m.capacity.loginsPerSecond)}/s (all ${number.format(report.seed.plan.users)} users at once: ` +
        `${number.format(report.seed.plan.users / m.capacity.loginsPerSecond)} s on one app server)`,
  ].filter((part) => part !== undefined);
  if (extra.length > 0) lines.push(`            also measured: ${extra.join("; ")}.`);
  return lines;
}

const LABEL = 12;
const WIDTH = 100;

/** A label in the first 12 columns, the text wrapped at 100 columns under itself. */
function wrap(label: string, text: string): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current !== "" && LABEL + current.length + 1 + word.length > WIDTH) {
      lines.push(current);
      current = word;
    } else current = current === "" ? word : `${current} ${word}`;
  }
  lines.push(current);
  return lines.map((line, index) => `${(index === 0 ? label : "").padEnd(LABEL)}${line}`);
}

/** The whole text report, one string per line; colour only through `colors`. */
export function renderCapacityReport(report: CapacityReport, colors: Colors): string[] {
  const { plan } = report.seed;
  const jobs = plan.jobsAssumed ? " (assumed: 1 per active user per hour)" : "";
  return [
    colors.bold(
      `${number.format(plan.users)} active users × ${number.format(plan.requestsPerUserPerMinute)} requests/min = ` +
        `${number.format(plan.requestsPerMinute)} requests/min = ${number.format(plan.requestsPerSecond)} requests/s`,
    ),
    colors.dim(`jobs: ${number.format(plan.jobsPerMinute)}/min${jobs}`),
    "",
    ...renderTable(report, colors),
    "",
    ...[...notes(report), ...measuredSource(report)].flatMap((line) =>
      wrap(line.slice(0, LABEL), line.slice(LABEL)),
    ),
    "",
    ...report.derivation.flatMap((line, index) => wrap(`${index === 0 ? "how" : ""}`, line)).map(colors.dim),
  ];
}
