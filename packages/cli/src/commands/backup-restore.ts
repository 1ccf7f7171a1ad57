import path from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

interface RestoreOptions {
  database: string;
  from?: string;
  force?: boolean;
  json?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question(`${question} [y/N] `)).trim().toLowerCase() === "y";
  } finally {
    prompt.close();
  }
}

/** `marg backup:restore FILE --database NAME`: asks first (--force skips), checks the checksum, restores. */
export function registerBackupRestore(program: Command, ctx: CliContext): void {
  program
    .command("backup:restore")
    .description(
      "Restore a backup: a MySQL dump's database into --database NAME (created if missing; its tables that are " +
        "in the dump are replaced), or an SQLite backup to the file --database names. Asks first.",
    )
    .argument("<file>", "a backup from marg backup:list")
    .requiredOption("--database <name>", "MySQL: the database to restore into; SQLite: the file to write")
    .option("--from <name>", "MySQL: which database of the dump (default: the one with --database's name)")
    .option("--force", "do not ask for confirmation (scripts)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (file: string, options: RestoreOptions) => {
        const out = ctx.output(options.json === true);
        const [
          { checkChecksum, readManifest, restoreMysqlDatabase, restoreSqlite },
          { installationTargets },
        ] = await Promise.all([import("@marg/deploy"), import("./backup-support.js")]);
        const full = path.resolve(ctx.root, file);
        const manifest = readManifest(full);
        if (manifest.kind === "redis") {
          out.error(
            "Redis snapshots are restored by hand: stop Redis, copy the .rdb over its dump file, start it.",
          );
          return EXIT.USAGE;
        }
        const names = manifest.databases.map((database) => database.name);
        const from =
          options.from ??
          (names.includes(options.database) || names.length !== 1 ? options.database : names[0]);
        const what =
          manifest.kind === "mysql"
            ? `database "${from}" of ${manifest.file} into MySQL database "${options.database}"`
            : `${manifest.file} to ${path.resolve(ctx.root, options.database)}`;
        if (!options.force && !(await confirm(`Restore ${what}? Data there is replaced.`))) {
          out.error("Not restored: confirm at the prompt, or pass --force in scripts.");
          return EXIT.FAILURE;
        }
        await checkChecksum(full, manifest);
        if (manifest.kind === "mysql") {
          const mysql = (await installationTargets(ctx, undefined)).mysql?.target;
          if (mysql === undefined) {
            out.error("This installation has no MySQL connection (DB_DRIVER=mysql) to restore into.");
            return EXIT.USAGE;
          }
          await restoreMysqlDatabase({
            target: mysql,
            file: full,
            manifest,
            ...(from ? { from } : {}),
            into: options.database,
          });
        } else {
          await restoreSqlite(full, path.resolve(ctx.root, options.database));
        }
        out.line(`Restored ${what}.`);
        out.result({ file: full, restored: true, database: options.database });
        return EXIT.OK;
      }),
    );
}
