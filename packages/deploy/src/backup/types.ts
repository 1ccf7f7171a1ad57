/** What a backup holds: a MySQL dump, an SQLite copy, or a Redis snapshot. */
export type BackupKind = "mysql" | "sqlite" | "redis";

/** One database inside a backup and the row count of each of its tables at backup time. */
export interface ManifestDatabase {
  readonly name: string;
  readonly tables: Readonly<Record<string, number>>;
}

/**
 * The JSON written beside every backup (`<file>.manifest.json`): what it holds,
 * its checksum, and the row counts `marg backup:verify` compares a restore with.
 */
export interface BackupManifest {
  readonly format: "marg-backup/1";
  readonly kind: BackupKind;
  /** The backup's file name (no folder): manifests travel with their file. */
  readonly file: string;
  /** ISO-8601 UTC time the backup started. */
  readonly createdAt: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly databases: readonly ManifestDatabase[];
}

/** How to reach a MySQL/MariaDB server; the password never reaches argv or a log line. */
export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  /** The dump and client binaries (defaults: mysqldump, mysql). */
  readonly dumpBinary?: string;
  readonly clientBinary?: string;
}

/** What a backup run wrote. */
export interface BackupResult {
  readonly file: string;
  readonly manifest: BackupManifest;
  /** Files the retention pass deleted afterwards. */
  readonly deleted: readonly string[];
}
