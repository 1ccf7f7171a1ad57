import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

interface BackupRedisOptions {
  dir?: string;
  rdb?: string;
  keepDays?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  metricsFile?: string;
  alertMail?: string;
  json?: boolean;
}

/** `marg backup:redis`: BGSAVE, wait, copy the RDB (and AOF) with the date. Run it on the Redis host. */
export function registerBackupRedis(program: Command, ctx: CliContext): void {
  program
    .command("backup:redis")
    .description(
      "Snapshot the sessions + queues Redis: BGSAVE, wait for it, copy the RDB and AOF with the date",
    )
    .option("--dir <path>", "backup folder (default: MARG_BACKUP_DIR, else <storage>/backups)")
    .option(
      "--rdb <path>",
      "the RDB file when CONFIG is disabled on the server (default: CONFIG GET dir/dbfilename)",
    )
    .option("--keep-days <n>", "delete backups older than this many days", "7")
    .option("--keep-weekly <n>", "also keep the newest backup of each of the last N weeks", "0")
    .option("--keep-monthly <n>", "also keep the newest backup of each of the last N months", "0")
    .option("--metrics-file <path>", "node_exporter textfile to record the run in (MARG_BACKUP_METRICS_FILE)")
    .option("--alert-mail <address>", "mail this address when the backup fails (MARG_BACKUP_ALERT_MAIL)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: BackupRedisOptions) => {
        const out = ctx.output(options.json === true);
        const [
          { runBackupWithAlerts, runRedisBackup },
          { backupDir, cliAlerts, installationTargets, retentionFrom },
        ] = await Promise.all([import("@marg/deploy"), import("./backup-support.js")]);
        const redis = (await installationTargets(ctx, undefined)).redis;
        if (redis === undefined) {
          out.line("This installation does not use Redis (phase 1): nothing to back up.");
          out.result({ skipped: true });
          return EXIT.OK;
        }
        const dir = backupDir(ctx, options.dir);
        const retention = retentionFrom(options);
        const { alerts, recordSuccess } = cliAlerts(ctx, "redis", options);
        try {
          const result = await runBackupWithAlerts("redis", alerts, () =>
            runRedisBackup(redis, {
              dir,
              retention,
              onStep: (step) => out.note(step),
              ...(options.rdb === undefined ? {} : { rdbPath: options.rdb }),
            }),
          );
          recordSuccess();
          out.line(`wrote ${path.basename(result.file)} (${result.manifest.bytes} bytes) in ${dir}`);
          out.line(
            `retention: kept ${retention.keepDays} days, deleted ${result.deleted.length} old backup(s)`,
          );
          out.result(result);
          return EXIT.OK;
        } catch (error) {
          out.error(error instanceof Error ? error.message : String(error));
          return EXIT.FAILURE;
        }
      }),
    );
}
