import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { MargError } from "@marg/core/errors";
import type { MysqlTarget } from "./types.js";

/**
 * Runs `fn` with a [client] defaults file (mode 600, in a private temp folder,
 * removed afterwards), so the password is never on a command line or in `ps`.
 */
export async function withDefaultsFile<T>(target: MysqlTarget, fn: (file: string) => Promise<T>): Promise<T> {
  const folder = mkdtempSync(path.join(tmpdir(), "marg-mysql-"));
  const file = path.join(folder, "client.cnf");
  const quote = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  const lines = ["[client]", `host=${target.host}`, `port=${target.port}`, `user=${quote(target.user)}`];
  if (target.password !== undefined && target.password !== "")
    lines.push(`password=${quote(target.password)}`);
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** `mysql` in batch mode: runs `sql` (or what `input` streams) and returns stdout; rejects with stderr. */
export function runMysqlClient(
  target: MysqlTarget,
  options: { database?: string; sql?: string; input?: Readable },
): Promise<string> {
  return withDefaultsFile(
    target,
    (defaults) =>
      new Promise<string>((resolve, reject) => {
        const args = [
          `--defaults-extra-file=${defaults}`,
          "--batch",
          "--skip-column-names",
          "--default-character-set=utf8mb4",
        ];
        if (options.sql !== undefined) args.push("-e", options.sql);
        if (options.database !== undefined) args.push(options.database);
        const child = spawn(target.clientBinary ?? "mysql", args, { stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
        });
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        child.once("error", (error) => reject(clientError(target, error.message)));
        child.once("close", (code) =>
          code === 0 ? resolve(stdout) : reject(clientError(target, stderr.trim() || `exit ${code}`)),
        );
        // A client that exits early closes stdin; the close handler reports why.
        child.stdin.on("error", () => {});
        if (options.input === undefined) child.stdin.end();
        else {
          options.input.once("error", (error) => {
            child.kill("SIGTERM");
            reject(clientError(target, `reading the backup failed: ${error.message}`));
          });
          options.input.pipe(child.stdin);
        }
      }),
  );
}

function clientError(target: MysqlTarget, detail: string): MargError {
  return new MargError("E_BACKUP_RESTORE_FAILED", `mysql at ${target.host}:${target.port} failed: ${detail}`);
}

/** A database name as SQL: backquoted, backquotes doubled. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** Row counts of every base table of `database`, exact (COUNT(*), not information_schema's estimate). */
export async function countMysqlRows(target: MysqlTarget, database: string): Promise<Record<string, number>> {
  const tables = (
    await runMysqlClient(target, {
      sql: `SELECT table_name FROM information_schema.tables WHERE table_schema = '${database.replaceAll("'", "''")}' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    })
  )
    .split("\n")
    .filter((line) => line !== "");
  const counts: Record<string, number> = {};
  if (tables.length === 0) return counts;
  const sql = tables
    .map(
      (table) =>
        `SELECT ${quoteString(table)}, COUNT(*) FROM ${quoteIdentifier(database)}.${quoteIdentifier(table)}`,
    )
    .join(" UNION ALL ");
  for (const line of (await runMysqlClient(target, { sql })).split("\n")) {
    if (line === "") continue;
    const tab = line.lastIndexOf("\t");
    counts[line.slice(0, tab)] = Number(line.slice(tab + 1));
  }
  return counts;
}

function quoteString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}
