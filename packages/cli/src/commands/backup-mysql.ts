import path from "node:path";
import type { runDatabaseBackups } from "@marg/deploy";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

interface BackupMysqlOptions {
  dir?: string;
  also?: string;
  keepDays?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  metricsFile?: string;
  alertMail?: string;
  json?: boolean;
}

/** `marg backup:mysql`: the databases (MySQL dump and/or SQLite copies), then retention. */
export function registerBackupMysql(program: Command, ctx: CliContext): void {
  program
    .command("backup:mysql")
    .description(
      "Back up MARG's databases: one consistent mysqldump (--single-transaction) of app, rbac, business and the " +
        "apps' own, SQLite online backups of embedded ones; gzip, manifest + checksum, retention",
    )
    .option("--dir <path>", "backup folder (default: MARG_BACKUP_DIR, else <storage>/backups)")
    .option("--also <names>", "more databases on the same server, comma-separated")
    .option("--keep-days <n>", "delete backups older than this many days", "7")
    .option("--keep-weekly <n>", "also keep the newest backup of each of the last N weeks", "0")
    .option("--keep-monthly <n>", "also keep the newest backup of each of the last N months", "0")
    .option("--metrics-file <path>", "node_exporter textfile to record the run in (MARG_BACKUP_METRICS_FILE)")
    .option("--alert-mail <address>", "mail this address when the backup fails (MARG_BACKUP_ALERT_MAIL)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: BackupMysqlOptions) => {
        const out = ctx.output(options.json === true);
        const [
          { runBackupWithAlerts, runDatabaseBackups },
          { backupDir, cliAlerts, installationTargets, retentionFrom },
        ] = await Promise.all([import("@marg/deploy"), import("./backup-support.js")]);
        const dir = backupDir(ctx, options.dir);
        const retention = retentionFrom(options);
        const { alerts, recordSuccess } = cliAlerts(ctx, "mysql", options);
        let results: Awaited<ReturnType<typeof runDatabaseBackups>>;
        try {
          results = await runBackupWithAlerts("mysql", alerts, async () => {
            const targets = await installationTargets(ctx, options.also, (text) => out.warn(text));
            return runDatabaseBackups(targets, { dir, retention, onStep: (step) => out.note(step) });
          });
        } catch (error) {
          out.error(error instanceof Error ? error.message : String(error));
          return EXIT.FAILURE;
        }
        recordSuccess();
        for (const { file, manifest } of results) {
          const tables = manifest.databases.reduce(
            (sum, database) => sum + Object.keys(database.tables).length,
            0,
          );
          out.line(`wrote ${path.basename(file)} (${manifest.bytes} bytes, ${tables} tables) in ${dir}`);
        }
        const deleted = results.flatMap((result) => result.deleted);
        out.line(`retention: kept ${retention.keepDays} days, deleted ${deleted.length} old backup(s)`);
        out.result({ dir, backups: results.map(({ file, manifest }) => ({ file, manifest })), deleted });
        return EXIT.OK;
      }),
    );
}
