import { checkAccounts } from "./account-findings.js";
import { checkConfigs } from "./config-findings.js";
import { checkDatabases } from "./database-findings.js";
import { checkHost } from "./host-findings.js";
import { checkSeedIndexes } from "./index-findings.js";
import { checkQueue } from "./queue-findings.js";
import { checkRedis } from "./redis-findings.js";
import { checkSessionSharing } from "./session-findings.js";
import { type DoctorCheck, type DoctorContext, type Finding, type FindingLevel, fail } from "./types.js";

/** Every area, in the order `marg doctor` prints them. */
export const DOCTOR_CHECKS: readonly { readonly area: string; readonly check: DoctorCheck }[] = [
  { area: "config", check: checkConfigs },
  { area: "session", check: checkSessionSharing },
  { area: "queue", check: checkQueue },
  { area: "redis", check: checkRedis },
  { area: "database", check: checkDatabases },
  { area: "indexes", check: checkSeedIndexes },
  { area: "accounts", check: checkAccounts },
  { area: "host", check: checkHost },
];

export interface DoctorReport {
  /** The worst level found. */
  readonly level: FindingLevel;
  readonly findings: readonly Finding[];
}

const RANK: Record<FindingLevel, number> = { ok: 0, warn: 1, fail: 2 };

async function runArea(
  area: string,
  check: DoctorCheck,
  ctx: DoctorContext,
  timeoutMs: number,
): Promise<Finding[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([check(ctx), timeout]);
  } catch (error) {
    // A check that crashes or hangs is itself a finding: doctor must always finish and say something.
    return [
      fail(
        `${area}.check`,
        `the ${area} checks could not finish (${(error as Error).message})`,
        "Run `marg doctor` again; if it persists, check that area by hand",
      ),
    ];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every area against one context, each bounded by `timeoutMs`, and
 * returns the findings with the worst level.
 *
 * @example
 * const { ctx, close } = await openDoctorContext({ installation, apps });
 * const report = await runDoctor(ctx);
 * await close();
 * // report.level is the worst finding; the CLI turns it into an exit code (exit-codes.ts).
 */
export async function runDoctor(
  ctx: DoctorContext,
  options: { checks?: readonly { area: string; check: DoctorCheck }[]; timeoutMs?: number } = {},
): Promise<DoctorReport> {
  const findings: Finding[] = [];
  for (const { area, check } of options.checks ?? DOCTOR_CHECKS) {
    findings.push(...(await runArea(area, check, ctx, options.timeoutMs ?? 15_000)));
  }
  const level = findings.reduce<FindingLevel>(
    (worst, finding) => (RANK[finding.level] > RANK[worst] ? finding.level : worst),
    "ok",
  );
  return { level, findings };
}
