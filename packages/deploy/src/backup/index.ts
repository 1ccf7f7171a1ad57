/**
 * Backups that restore: MySQL dumps (one consistent snapshot of MARG's
 * databases), SQLite online backups, Redis snapshots; each with a manifest of
 * row counts and a checksum, retention, verify (restore into scratch and
 * compare) and restore. See docs/backups.md.
 */
export { type BackupAlerts, runBackupWithAlerts } from "./backup-alerts.js";
export { type BackupJobOptions, backupCronLines, backupJobs } from "./backup-jobs.js";
export { backupFileName, backupStamp, parseBackupName, sidecarFiles } from "./backup-name.js";
export { type BackupTargets, backupTargets } from "./backup-targets.js";
export { BACKUP_ERRORS } from "./errors.js";
export { type ListedBackup, listBackups } from "./list-backups.js";
export { checkChecksum, readManifest, sha256File } from "./manifest.js";
export { recordBackupMetric } from "./metrics-file.js";
export { backupMysql, type MysqlBackupOptions } from "./mysql-backup.js";
export { countMysqlRows } from "./mysql-client.js";
export { restoreMysqlDatabase } from "./mysql-restore.js";
export { backupRedis, type RedisBackupOptions } from "./redis-backup.js";
export { applyRetention, DEFAULT_RETENTION, type RetentionPolicy } from "./retention.js";
export { type RunBackupsOptions, runDatabaseBackups, runRedisBackup } from "./run-backups.js";
export { backupSqlite, countSqliteRows, restoreSqlite, type SqliteSource } from "./sqlite-backup.js";
export type { BackupKind, BackupManifest, BackupResult, ManifestDatabase, MysqlTarget } from "./types.js";
export { type VerifyResult, verifyBackup } from "./verify-backup.js";
