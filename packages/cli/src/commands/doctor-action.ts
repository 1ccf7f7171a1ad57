import type { MargConfig } from "@marg/core/config";
import {
  type DoctorApp,
  type DoctorReport,
  type Finding,
  openDoctorContext,
  runDoctor,
} from "@marg/core/doctor";
import { isMargError } from "@marg/core/errors";
import { createKernel, type Kernel } from "@marg/core/kernel";
import type { CliContext } from "../cli-context.js";
import { doctorExitCode } from "../exit-codes.js";
import type { Output } from "../output.js";

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Each app of MARG_APPS with its config, or why it does not load (a finding, not a crash). */
async function loadApps(kernel: Kernel, installation: MargConfig): Promise<DoctorApp[]> {
  const apps: DoctorApp[] = [];
  for (const id of installation.app.apps) {
    try {
      apps.push({ id, config: await kernel.appConfig(id) });
    } catch (error) {
      apps.push({ id, error: message(error) });
    }
  }
  return apps;
}

function print(out: Output, report: DoctorReport): void {
  const { colors } = out;
  const tag: Record<Finding["level"], string> = {
    ok: colors.green("ok  "),
    warn: colors.yellow("warn"),
    fail: colors.red("fail"),
  };
  for (const finding of report.findings) {
    out.line(`${tag[finding.level]}  ${finding.message}  ${colors.dim(`[${finding.id}]`)}`);
    if (finding.fix !== undefined) out.line(`      ${colors.dim("fix:")} ${finding.fix}`);
  }
  const count = (level: Finding["level"]) =>
    report.findings.filter((finding) => finding.level === level).length;
  out.line("");
  out.line(`${count("fail")} failing, ${count("warn")} warnings, ${count("ok")} ok.`);
}

/** What `marg doctor` runs (loaded by its action, so `marg --help` does not load the platform). */
export async function runDoctorCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  const out = ctx.output(options.json === true);
  let installation: MargConfig;
  try {
    installation = ctx.config();
  } catch (error) {
    if (!isMargError(error)) throw error;
    const report: DoctorReport = {
      level: "fail",
      findings: [
        {
          id: "config.installation",
          level: "fail",
          message: `the installation's configuration does not load: ${error.message}`,
          fix: "Fix the variables named above in .env.shared or the environment",
        },
      ],
    };
    print(out, report);
    out.result(report);
    return doctorExitCode("fail");
  }
  const kernel = createKernel({ root: ctx.root, env: ctx.env });
  const apps = await loadApps(kernel, installation);
  const opened = await openDoctorContext({
    installation,
    apps,
    ...(apps.every((app) => app.config !== undefined)
      ? { migrationStatus: () => kernel.migrationStatus({ apps: installation.app.apps }) }
      : {}),
  });
  let report: DoctorReport;
  try {
    report = await runDoctor(opened.ctx);
  } finally {
    await opened.close();
  }
  print(out, report);
  out.result(report);
  return doctorExitCode(report.level);
}
