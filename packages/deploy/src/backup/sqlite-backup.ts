import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MargError } from "@marg/core/errors";
import Database from "better-sqlite3";
import { backupFileName } from "./backup-name.js";
import { gunzipFile, gzipFile } from "./gzip-file.js";
import { writeSidecars } from "./manifest.js";
import { compareCounts } from "./mysql-restore.js";
import type { BackupManifest } from "./types.js";

/** One embedded database to back up: its file and the label its backups are named by. */
export interface SqliteSource {
  readonly label: string;
  readonly file: string;
}

/** Row counts of every table of an open SQLite database (its own bookkeeping tables left out). */
export function countSqliteRows(db: Database.Database): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const row = db.prepare(`SELECT COUNT(*) AS n FROM "${name.replaceAll('"', '""')}"`).get() as {
      n: number;
    };
    counts[name] = row.n;
  }
  return counts;
}

function scratchFolder<T>(fn: (folder: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(path.join(tmpdir(), "marg-sqlite-"));
  return fn(folder).finally(() => rmSync(folder, { recursive: true, force: true }));
}

/**
 * SQLite's online backup API: a consistent copy while the apps keep writing,
 * then gzipped with a manifest of row counts and a checksum.
 */
export async function backupSqlite(
  source: SqliteSource,
  options: { dir: string; now?: Date },
): Promise<{ file: string; manifest: BackupManifest }> {
  const now = options.now ?? new Date();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dir, backupFileName("sqlite", source.label, now, ".sqlite.gz"));
  try {
    return await scratchFolder(async (folder) => {
      const copy = path.join(folder, "copy.sqlite");
      const live = new Database(source.file, { readonly: true, fileMustExist: true });
      try {
        await live.backup(copy);
      } finally {
        live.close();
      }
      const snapshot = new Database(copy, { readonly: true });
      const tables = countSqliteRows(snapshot);
      snapshot.close();
      const sha256 = await gzipFile(copy, `${file}.partial`);
      renameSync(`${file}.partial`, file);
      const manifest: BackupManifest = {
        format: "marg-backup/1",
        kind: "sqlite",
        file: path.basename(file),
        createdAt: now.toISOString(),
        sha256,
        bytes: statSync(file).size,
        databases: [{ name: source.label, tables }],
      };
      writeSidecars(file, manifest);
      return { file, manifest };
    });
  } catch (error) {
    rmSync(`${file}.partial`, { force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new MargError("E_BACKUP_FAILED", `SQLite backup of ${source.file} failed: ${detail}`, {
      cause: error,
    });
  }
}

/** Unpacks the copy, runs SQLite's integrity check and compares row counts with the manifest. */
export async function verifySqliteBackup(file: string, manifest: BackupManifest): Promise<string[]> {
  return scratchFolder(async (folder) => {
    const copy = path.join(folder, "verify.sqlite");
    await gunzipFile(file, copy);
    const db = new Database(copy, { readonly: true });
    try {
      const integrity = db.pragma("integrity_check", { simple: true });
      if (integrity !== "ok") return [`integrity_check: ${String(integrity)}`];
      const expected = manifest.databases[0];
      return compareCounts(expected?.name ?? "sqlite", expected?.tables ?? {}, countSqliteRows(db));
    } catch (error) {
      return [`not a readable SQLite database: ${error instanceof Error ? error.message : String(error)}`];
    } finally {
      db.close();
    }
  });
}

/**
 * Puts the backed-up database at `target`, replacing it in one rename. Stop
 * the processes that have it open first (marg down, stop the services): they
 * would keep writing to the old file.
 */
export async function restoreSqlite(file: string, target: string): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  const staging = `${target}.restoring`;
  await gunzipFile(file, staging);
  renameSync(staging, target);
  // A stale write-ahead log of the replaced database must not be replayed into the restored one.
  rmSync(`${target}-wal`, { force: true });
  rmSync(`${target}-shm`, { force: true });
}
