import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerMigrateStatus(program: Command, ctx: CliContext): void {
  program
    .command("migrate:status")
    .description("List every migration of every database and whether it has run")
    .option("--app <id>", "only this app's migrations (plus the shared rbac/business ones)")
    .option("--json", "print the rows as JSON")
    .action(
      ctx.action(async (options: { app?: string; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const { createKernel } = await import("@marg/core/kernel");
        const kernel = createKernel({ root: ctx.root, env: ctx.env });
        const rows = await kernel.migrationStatus({ apps: kernel.selectApps(options.app) });
        if (rows.length === 0) out.line("No migrations are declared.");
        for (const row of rows) {
          const state = row.executedAt === null ? out.colors.yellow("Pending") : out.colors.green("Ran    ");
          const when = row.executedAt?.toISOString() ?? "";
          out.line(
            `${state}  ${row.connection}/${row.database}  ${row.name}  ${out.colors.dim(row.source)}  ${when}`,
          );
        }
        const pending = rows.filter((row) => row.executedAt === null).length;
        if (rows.length > 0) out.note(`${rows.length - pending} ran, ${pending} pending.`);
        out.result({
          rows: rows.map((row) => ({ ...row, executedAt: row.executedAt?.toISOString() ?? null })),
          pending,
        });
        return EXIT.OK;
      }),
    );
}
