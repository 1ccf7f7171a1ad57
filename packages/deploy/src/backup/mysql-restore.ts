import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { MargError } from "@marg/core/errors";
import { countMysqlRows, quoteIdentifier, runMysqlClient } from "./mysql-client.js";
import { DumpDatabaseFilter } from "./mysql-dump-lines.js";
import type { BackupManifest, MysqlTarget } from "./types.js";

/**
 * Restores one database of a MARG dump into `into` (created when missing),
 * whatever it was called when dumped. Tables in the dump replace tables of the
 * same name (the dump drops them first); other tables are left alone.
 */
export async function restoreMysqlDatabase(options: {
  target: MysqlTarget;
  file: string;
  manifest: BackupManifest;
  /** The database in the dump (default: the only one). */
  from?: string;
  into: string;
}): Promise<void> {
  const from = options.from ?? onlyDatabase(options.manifest);
  if (!options.manifest.databases.some((database) => database.name === from)) {
    const names = options.manifest.databases.map((database) => database.name).join(", ");
    throw new MargError("E_BACKUP_NOT_FOUND", `The backup holds no database "${from}"; it holds: ${names}.`);
  }
  await runMysqlClient(options.target, {
    sql: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(options.into)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  });
  // Errors of any stage end the last one, so the client sees them instead of the process crashing.
  const filter = new DumpDatabaseFilter(from);
  const gunzip = createGunzip().on("error", (error) => filter.destroy(error));
  const input = createReadStream(options.file)
    .on("error", (error) => filter.destroy(error))
    .pipe(gunzip)
    .pipe(filter);
  await runMysqlClient(options.target, { database: options.into, input });
}

function onlyDatabase(manifest: BackupManifest): string {
  const [first, ...others] = manifest.databases;
  if (first === undefined || others.length > 0) {
    const names = manifest.databases.map((database) => database.name).join(", ");
    throw new MargError(
      "E_BACKUP_NOT_FOUND",
      `The backup holds several databases (${names}); name one with --from.`,
    );
  }
  return first.name;
}

/** Restores every database of the dump into a scratch database and compares row counts; drops the scratch ones. */
export async function verifyMysqlBackup(options: {
  target: MysqlTarget;
  file: string;
  manifest: BackupManifest;
}): Promise<string[]> {
  const mismatches: string[] = [];
  for (const database of options.manifest.databases) {
    const scratch = `marg_verify_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    try {
      await restoreMysqlDatabase({ ...options, from: database.name, into: scratch });
      mismatches.push(
        ...compareCounts(database.name, database.tables, await countMysqlRows(options.target, scratch)),
      );
    } finally {
      await runMysqlClient(options.target, { sql: `DROP DATABASE IF EXISTS ${quoteIdentifier(scratch)}` });
    }
  }
  return mismatches;
}

/** One line per table whose restored row count differs from the manifest's. */
export function compareCounts(
  database: string,
  expected: Readonly<Record<string, number>>,
  actual: Readonly<Record<string, number>>,
): string[] {
  const lines: string[] = [];
  for (const table of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    if (expected[table] !== actual[table]) {
      lines.push(
        `${database}.${table}: manifest ${expected[table] ?? "none"}, restored ${actual[table] ?? "none"}`,
      );
    }
  }
  return lines;
}
