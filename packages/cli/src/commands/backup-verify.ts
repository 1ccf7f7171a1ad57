import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/** `marg backup:verify FILE`: checksum, restore into scratch, compare row counts with the manifest. */
export function registerBackupVerify(program: Command, ctx: CliContext): void {
  program
    .command("backup:verify")
    .description(
      "Prove a backup restores: checksum, then restore into a scratch database (dropped after) and compare " +
        "every table's row count with the manifest",
    )
    .argument("<file>", "a backup from marg backup:list")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (file: string, options: { json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const [{ verifyBackup }, { installationTargets }] = await Promise.all([
          import("@marg/deploy"),
          import("./backup-support.js"),
        ]);
        const full = path.resolve(ctx.root, file);
        const mysql = (await installationTargets(ctx, undefined)).mysql?.target;
        out.note(`verifying ${path.basename(full)}`);
        const result = await verifyBackup(full, mysql === undefined ? {} : { mysql });
        const databases = result.manifest.databases.length;
        out.line(
          `OK: ${path.basename(full)} matches its checksum and restores to the manifest's row counts ` +
            `(${databases} database(s), ${result.tables} table(s)).`,
        );
        out.result({ file: full, ok: true, databases, tables: result.tables });
        return EXIT.OK;
      }),
    );
}
