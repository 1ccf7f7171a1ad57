import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/** `marg backup:list`: the backups in the folder, newest first. */
export function registerBackupList(program: Command, ctx: CliContext): void {
  program
    .command("backup:list")
    .description("List the backups in the backup folder, newest first")
    .option("--dir <path>", "backup folder (default: MARG_BACKUP_DIR, else <storage>/backups)")
    .option("--json", "print the list as JSON")
    .action(
      ctx.action(async (options: { dir?: string; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const [{ listBackups }, { backupDir }] = await Promise.all([
          import("@marg/deploy"),
          import("./backup-support.js"),
        ]);
        const dir = backupDir(ctx, options.dir);
        const backups = listBackups(dir);
        if (backups.length === 0) out.line(`No backups in ${dir}.`);
        for (const backup of backups) {
          const warning = backup.hasManifest ? "" : "  (no manifest: cannot be verified)";
          out.line(
            `${backup.createdAt}  ${backup.kind.padEnd(6)}  ${String(backup.bytes).padStart(12)}  ${path.basename(backup.file)}${warning}`,
          );
        }
        out.result({ dir, backups });
        return EXIT.OK;
      }),
    );
}
