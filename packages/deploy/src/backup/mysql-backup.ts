import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { MargError } from "@marg/core/errors";
import { backupFileName } from "./backup-name.js";
import { writeSidecars } from "./manifest.js";
import { withDefaultsFile } from "./mysql-client.js";
import { DumpRowCounter } from "./mysql-dump-lines.js";
import type { BackupManifest, MysqlTarget } from "./types.js";

export interface MysqlBackupOptions {
  readonly target: MysqlTarget;
  /** MARG's databases: app, rbac, business and the apps' own; dumped in one snapshot. */
  readonly databases: readonly string[];
  readonly dir: string;
  /** The name's label: `mysql_<label>_<stamp>.sql.gz` (default `marg`). */
  readonly label?: string;
  readonly now?: Date;
}

/**
 * One consistent dump (--single-transaction: one InnoDB snapshot, no locks) of
 * the given databases, gzipped, written to `.partial` first so a failed dump
 * never looks complete, with a manifest of row counts and a checksum beside it.
 * One row per INSERT (--skip-extended-insert) lets the manifest count the dump
 * itself, so verify compares with exactly what the file holds.
 */
export async function backupMysql(
  options: MysqlBackupOptions,
): Promise<{ file: string; manifest: BackupManifest }> {
  if (options.databases.length === 0) {
    throw new MargError(
      "E_BACKUP_FAILED",
      "No databases to back up: configure DB_DATABASE and the others first.",
    );
  }
  const now = options.now ?? new Date();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dir, backupFileName("mysql", options.label ?? "marg", now, ".sql.gz"));
  const partial = `${file}.partial`;
  const counter = new DumpRowCounter();
  const hash = createHash("sha256");
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await withDefaultsFile(options.target, async (defaults) => {
      const args = [
        `--defaults-extra-file=${defaults}`,
        "--single-transaction",
        "--quick",
        "--skip-extended-insert",
        "--hex-blob",
        "--no-tablespaces",
        "--triggers",
        "--events",
        "--default-character-set=utf8mb4",
        "--databases",
        ...options.databases,
      ];
      const child = spawn(options.target.dumpBinary ?? "mysqldump", args, {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve, reject) => {
        child.once("error", reject);
        child.once("close", resolve);
      });
      await pipeline(
        child.stdout,
        counter,
        createGzip(),
        hasher,
        createWriteStream(partial, { mode: 0o600 }),
      );
      const code = await exited;
      if (code !== 0) throw new Error(stderr.trim() || `mysqldump exited with ${code}`);
    });
  } catch (error) {
    rmSync(partial, { force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new MargError("E_BACKUP_FAILED", `MySQL backup failed: ${detail}`, { cause: error });
  }
  renameSync(partial, file);
  const manifest: BackupManifest = {
    format: "marg-backup/1",
    kind: "mysql",
    file: path.basename(file),
    createdAt: now.toISOString(),
    sha256: hash.digest("hex"),
    bytes: statSync(file).size,
    databases: counter.result(),
  };
  writeSidecars(file, manifest);
  return { file, manifest };
}
