import { loadConfig, type MargConfig } from "@marg/core/config";
import { createMigrator } from "@marg/core/db";
import {
  type DoctorApp,
  type DoctorReport,
  type Finding,
  openDoctorContext,
  runDoctor,
} from "@marg/core/doctor";
import { isMargError } from "@marg/core/errors";
import type { CliContext } from "../cli-context.js";
import { doctorExitCode } from "../exit-codes.js";
import { collectMigrationSets, loadAppDefinition, openDatabasesPerConfig } from "../migration-sources.js";
import type { Output } from "../output.js";

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Each app of MARG_APPS with its config, or why it does not load (a finding, not a crash). */
async function loadApps(ctx: CliContext, installation: MargConfig): Promise<DoctorApp[]> {
  const apps: DoctorApp[] = [];
  for (const id of installation.app.apps) {
    try {
      const definition = await loadAppDefinition(ctx.root, id);
      const appDefaults = {
        name: definition.title,
        ...(definition.database === undefined ? {} : { database: definition.database }),
      };
      apps.push({ id, config: loadConfig({ app: id, appDefaults, root: ctx.root, env: ctx.env }) });
    } catch (error) {
      apps.push({ id, error: message(error) });
    }
  }
  return apps;
}

/** Every migration of core and the apps, as `marg migrate:status` lists them. */
function migrationStatus(ctx: CliContext, installation: MargConfig) {
  return async () => {
    const collected = await collectMigrationSets(ctx, installation.app.apps);
    const opened = openDatabasesPerConfig();
    try {
      return await createMigrator(
        (set) => opened.databasesFor(collected.configFor(set)),
        collected.sets,
      ).status();
    } finally {
      await opened.destroy();
    }
  };
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
  const apps = await loadApps(ctx, installation);
  const opened = await openDoctorContext({
    installation,
    apps,
    ...(apps.every((app) => app.config !== undefined)
      ? { migrationStatus: migrationStatus(ctx, installation) }
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
