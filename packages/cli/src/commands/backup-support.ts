import path from "node:path";
import type { MargConfig } from "@marg/core/config";
import { createKernel } from "@marg/core/kernel";
import { createLogger } from "@marg/core/logging";
import { createMailer } from "@marg/core/mail";
import {
  type BackupAlerts,
  type BackupTargets,
  backupTargets,
  DEFAULT_RETENTION,
  type RetentionPolicy,
  recordBackupMetric,
} from "@marg/deploy";
import type { CliContext } from "../cli-context.js";

/** Options every backup command shares. */
export interface BackupDirOption {
  dir?: string;
}

/** The backup folder: --dir, else MARG_BACKUP_DIR, else <storage>/backups. */
export function backupDir(ctx: CliContext, option: string | undefined): string {
  const chosen = option ?? ctx.env.MARG_BACKUP_DIR;
  if (chosen !== undefined && chosen !== "") return path.resolve(ctx.root, chosen);
  return path.join(ctx.config().storage.path, "backups");
}

/**
 * The installation's config and each app's: each app has its own database
 * (DB_DATABASE, else its definition's default such as klueportal or links_db).
 * An app whose definition cannot be loaded falls back to its env alone, with a warning.
 */
export async function installationConfigs(
  ctx: CliContext,
  warn: (text: string) => void,
): Promise<MargConfig[]> {
  const installation = ctx.config();
  const kernel = createKernel({ root: ctx.root, env: ctx.env });
  const configs = [installation];
  for (const id of installation.app.apps) {
    try {
      configs.push(await kernel.appConfig(id));
    } catch (error) {
      warn(`app ${id}: ${error instanceof Error ? error.message : String(error)} (using its env only)`);
      configs.push(ctx.config(id));
    }
  }
  return configs;
}

/** What the installation's backups cover, plus any --also databases on the same MySQL server. */
export async function installationTargets(
  ctx: CliContext,
  also: string | undefined,
  warn: (text: string) => void = () => {},
): Promise<BackupTargets> {
  const targets = backupTargets(await installationConfigs(ctx, warn));
  const extra = (also ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (targets.mysql === undefined || extra.length === 0) return targets;
  return {
    ...targets,
    mysql: { ...targets.mysql, databases: [...new Set([...targets.mysql.databases, ...extra])] },
  };
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`${name} must be a whole number ≥ 0, not "${value}".`);
  return parsed;
}

/** --keep-days (default 7, the seed's), --keep-weekly, --keep-monthly. */
export function retentionFrom(options: {
  keepDays?: string;
  keepWeekly?: string;
  keepMonthly?: string;
}): RetentionPolicy {
  return {
    keepDays: Math.max(1, wholeNumber(options.keepDays, "--keep-days", DEFAULT_RETENTION.keepDays)),
    keepWeekly: wholeNumber(options.keepWeekly, "--keep-weekly", 0),
    keepMonthly: wholeNumber(options.keepMonthly, "--keep-monthly", 0),
  };
}

/**
 * Alerts for a backup run from the command line (cron): JSON log lines on
 * stderr (error level on failure), the node_exporter textfile metric when
 * --metrics-file / MARG_BACKUP_METRICS_FILE is set, and a mail through
 * MAIL_* when --alert-mail / MARG_BACKUP_ALERT_MAIL names an address.
 */
export function cliAlerts(
  ctx: CliContext,
  kind: string,
  options: { metricsFile?: string; alertMail?: string },
): { alerts: BackupAlerts; recordSuccess: () => void } {
  const config = ctx.config();
  const logger = createLogger(
    { ...config, app: { ...config.app, id: "backup" } },
    { destination: process.stderr },
  );
  const metricsFile = options.metricsFile ?? ctx.env.MARG_BACKUP_METRICS_FILE;
  const to = options.alertMail ?? ctx.env.MARG_BACKUP_ALERT_MAIL;
  const alerts: BackupAlerts = {
    logger: {
      info: (data, message) => logger.info(data, message),
      error: (data, message) => logger.error(data, message),
    },
    ...(metricsFile ? { failures: { inc: () => recordBackupMetric(metricsFile, kind, false) } } : {}),
    ...(to ? { mail: { mailer: createMailer(config), to } } : {}),
  };
  return {
    alerts,
    recordSuccess: () => (metricsFile ? recordBackupMetric(metricsFile, kind, true) : undefined),
  };
}
