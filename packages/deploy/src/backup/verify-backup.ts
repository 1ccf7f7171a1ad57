import { MargError } from "@marg/core/errors";
import { checkChecksum, readManifest } from "./manifest.js";
import { verifyMysqlBackup } from "./mysql-restore.js";
import { verifyRedisBackup } from "./redis-backup.js";
import { verifySqliteBackup } from "./sqlite-backup.js";
import type { BackupManifest, MysqlTarget } from "./types.js";

export interface VerifyResult {
  readonly manifest: BackupManifest;
  /** Tables checked, over all databases. */
  readonly tables: number;
}

/**
 * Proves a backup restores: checksum first, then a restore into a scratch
 * database (MySQL) or file (SQLite) whose row counts must equal the manifest's;
 * Redis snapshots get the checksum and the RDB header. Throws E_BACKUP_CORRUPT
 * naming every difference.
 */
export async function verifyBackup(
  file: string,
  options: { mysql?: MysqlTarget } = {},
): Promise<VerifyResult> {
  const manifest = readManifest(file);
  await checkChecksum(file, manifest);
  let problems: string[];
  if (manifest.kind === "mysql") {
    if (options.mysql === undefined) {
      throw new MargError(
        "E_BACKUP_FAILED",
        "Verifying a MySQL backup needs a server to restore into (DB_HOST…).",
      );
    }
    problems = await verifyMysqlBackup({ target: options.mysql, file, manifest });
  } else if (manifest.kind === "sqlite") {
    problems = await verifySqliteBackup(file, manifest);
  } else {
    problems = verifyRedisBackup(file);
  }
  if (problems.length > 0) {
    throw new MargError(
      "E_BACKUP_CORRUPT",
      `The backup does not restore to what it recorded:\n  ${problems.join("\n  ")}`,
    );
  }
  const tables = manifest.databases.reduce((sum, database) => sum + Object.keys(database.tables).length, 0);
  return { manifest, tables };
}
