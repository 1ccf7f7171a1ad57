import { type AnyJobDefinition, defineJob, defineSchedule, type ScheduledJob } from "@marg/core/queue";
import { z } from "zod";
import { type BackupAlerts, runBackupWithAlerts } from "./backup-alerts.js";
import type { BackupTargets } from "./backup-targets.js";
import type { RetentionPolicy } from "./retention.js";
import { runDatabaseBackups, runRedisBackup } from "./run-backups.js";

export interface BackupJobOptions {
  /** Read when the job runs, so a changed config is picked up without a restart. */
  readonly targets: () => BackupTargets;
  readonly dir: string;
  readonly retention: RetentionPolicy;
  readonly alerts: BackupAlerts;
  /** Default one day for both. */
  readonly databaseEverySeconds?: number;
  readonly redisEverySeconds?: number;
}

/**
 * `backup:databases` and `backup:redis` as worker jobs with their schedules,
 * for installations that schedule through the worker instead of cron. Each run
 * alerts on failure; one attempt only, since a retried dump an hour later is
 * better done by the next schedule than piled on a struggling server.
 */
export function backupJobs(options: BackupJobOptions): {
  jobs: AnyJobDefinition[];
  schedules: ScheduledJob[];
} {
  const run = { dir: options.dir, retention: options.retention };
  const databases = defineJob({
    name: "backup:databases",
    schema: z.object({}).strict(),
    attempts: 1,
    timeoutSeconds: 3600,
    handler: async () => {
      await runBackupWithAlerts("mysql", options.alerts, () => runDatabaseBackups(options.targets(), run));
    },
  }) as AnyJobDefinition;
  const redis = defineJob({
    name: "backup:redis",
    schema: z.object({}).strict(),
    attempts: 1,
    timeoutSeconds: 900,
    handler: async () => {
      const target = options.targets().redis;
      if (target === undefined) return;
      await runBackupWithAlerts("redis", options.alerts, () => runRedisBackup(target, run));
    },
  }) as AnyJobDefinition;
  return {
    jobs: [databases, redis],
    schedules: [
      defineSchedule({
        job: databases,
        everySeconds: options.databaseEverySeconds ?? 86_400,
        payload: () => ({}),
      }),
      defineSchedule({ job: redis, everySeconds: options.redisEverySeconds ?? 86_400, payload: () => ({}) }),
    ],
  };
}

/**
 * The cron lines for the rendered configs (/etc/cron.d format), running the
 * same commands an operator runs: failures exit non-zero, log at error level
 * and mail when configured.
 */
export function backupCronLines(options: {
  marg: string;
  user: string;
  mysqlSchedule: string;
  redisSchedule?: string;
  log?: string;
}): string[] {
  const log = options.log ?? "/var/log/marg-backup.log";
  const lines = [`${options.mysqlSchedule} ${options.user} ${options.marg} backup:mysql >> ${log} 2>&1`];
  if (options.redisSchedule !== undefined) {
    lines.push(`${options.redisSchedule} ${options.user} ${options.marg} backup:redis >> ${log} 2>&1`);
  }
  return lines;
}
