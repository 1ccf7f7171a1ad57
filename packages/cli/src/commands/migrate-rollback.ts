import type { MigrationStep } from "@marg/core/db";
import { isMargError, MargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { assertForcedInProduction, printMigratorEvent, stepJson } from "./migrate.js";

function parseSteps(raw: string): number {
  const steps = Number(raw);
  if (!/^\d+$/.test(raw) || steps < 1) {
    throw new MargError("E_CLI_USAGE", `--step expects a whole number of at least 1, got "${raw}".`);
  }
  return steps;
}

export function registerMigrateRollback(program: Command, ctx: CliContext): void {
  program
    .command("migrate:rollback")
    .description("Undo the most recently run migration(s), newest first, across every database")
    .option("--step <n>", "how many migrations to undo", "1")
    .option("--app <id>", "only this app's migrations (plus the shared rbac/business ones)")
    .option("--force", "required when APP_ENV=production")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: { step: string; app?: string; force?: boolean; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const steps = parseSteps(options.step);
        assertForcedInProduction(ctx, "migrate:rollback", options.force);
        const { createKernel } = await import("@marg/core/kernel");
        const kernel = createKernel({ root: ctx.root, env: ctx.env });
        const done: MigrationStep[] = [];
        const migrator = await kernel.migrator({
          apps: kernel.selectApps(options.app),
          onEvent: (event) => {
            if (event.type === "step") done.push(event);
            printMigratorEvent(out, event);
          },
        });
        try {
          await migrator.rollback({ steps });
          out.line(done.length === 0 ? "Nothing to roll back." : `Rolled back ${done.length} migration(s).`);
          out.result({ ok: true, rolledBack: done.map(stepJson) });
          return EXIT.OK;
        } catch (error) {
          if (!isMargError(error)) throw error;
          out.error(error.message);
          out.result({
            ok: false,
            rolledBack: done.map(stepJson),
            error: { code: error.code, message: error.message },
          });
          return EXIT.FAILURE;
        } finally {
          await migrator.close();
        }
      }),
    );
}
