import type { BackupTargets } from "./backup-targets.js";
import { backupMysql } from "./mysql-backup.js";
import { backupRedis } from "./redis-backup.js";
import { applyRetention, type RetentionPolicy } from "./retention.js";
import { backupSqlite } from "./sqlite-backup.js";
import type { BackupResult } from "./types.js";

export interface RunBackupsOptions {
  readonly dir: string;
  readonly retention: RetentionPolicy;
  readonly now?: Date;
  /** Called before each step, for progress lines. */
  readonly onStep?: (message: string) => void;
}

/**
 * `marg backup:mysql`'s work: the MySQL dump when the installation uses MySQL,
 * SQLite online backups of every embedded database, then retention. Returns one
 * result per backup written.
 */
export async function runDatabaseBackups(
  targets: BackupTargets,
  options: RunBackupsOptions,
): Promise<BackupResult[]> {
  const results: { file: string; manifest: BackupResult["manifest"] }[] = [];
  if (targets.mysql !== undefined) {
    options.onStep?.(`dumping ${targets.mysql.databases.join(", ")} (one --single-transaction snapshot)`);
    results.push(
      await backupMysql({ ...targets.mysql, dir: options.dir, ...(options.now ? { now: options.now } : {}) }),
    );
  }
  for (const source of targets.sqlite) {
    options.onStep?.(`copying ${source.file} (SQLite online backup)`);
    results.push(
      await backupSqlite(source, { dir: options.dir, ...(options.now ? { now: options.now } : {}) }),
    );
  }
  const deleted = applyRetention(options.dir, options.retention, options.now);
  return results.map((result, index) => ({ ...result, deleted: index === 0 ? deleted : [] }));
}

/** `marg backup:redis`'s work: BGSAVE, copy, retention. */
export async function runRedisBackup(
  redis: NonNullable<BackupTargets["redis"]>,
  options: RunBackupsOptions & { rdbPath?: string },
): Promise<BackupResult> {
  options.onStep?.(`BGSAVE on ${redis.host}:${redis.port}`);
  const result = await backupRedis({
    ...redis,
    dir: options.dir,
    ...(options.rdbPath === undefined ? {} : { rdbPath: options.rdbPath }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { ...result, deleted: applyRetention(options.dir, options.retention, options.now) };
}
