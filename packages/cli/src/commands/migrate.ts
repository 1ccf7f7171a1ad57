import type { MigrationStep, MigratorEvent } from "@marg/core/db";
import { isMargError, MargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import type { Output } from "../output.js";

/** Refuses to touch a production database unless --force says the operator means it (as artisan does). */
export function assertForcedInProduction(ctx: CliContext, command: string, force: boolean | undefined): void {
  if (ctx.config().app.production && force !== true) {
    throw new MargError(
      "E_CLI_USAGE",
      `APP_ENV=production: \`marg ${command}\` changes the production databases. Run it again with --force to go ahead.`,
    );
  }
}

/** One progress line per migration (stderr), as it finishes. */
export function printMigratorEvent(out: Output, event: MigratorEvent): void {
  if (event.type === "database-created") {
    out.note(`created database \`${event.database}\` (${event.connection})`);
    return;
  }
  const verb = event.direction === "up" ? "migrated" : "rolled back";
  out.note(
    `${verb}  ${event.connection}/${event.database}  ${event.name}  (${event.source}, ${event.ms} ms)`,
  );
}

export function stepJson(step: MigrationStep) {
  const { connection, database, source, name, direction, ms } = step;
  return { connection, database, source, name, direction, ms };
}

export function registerMigrate(program: Command, ctx: CliContext): void {
  program
    .command("migrate")
    .description("Run every pending migration: core's, then each app's (creates missing MySQL databases)")
    .option("--app <id>", "only this app's migrations (plus the shared rbac/business ones)")
    .option("--force", "required when APP_ENV=production")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: { app?: string; force?: boolean; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        assertForcedInProduction(ctx, "migrate", options.force);
        const { createKernel } = await import("@marg/core/kernel");
        const kernel = createKernel({ root: ctx.root, env: ctx.env });
        const steps: MigrationStep[] = [];
        const migrator = await kernel.migrator({
          apps: kernel.selectApps(options.app),
          onEvent: (event) => {
            if (event.type === "step") steps.push(event);
            printMigratorEvent(out, event);
          },
        });
        try {
          await migrator.latest();
          out.line(steps.length === 0 ? "Nothing to migrate." : `Ran ${steps.length} migration(s).`);
          out.result({ ok: true, migrated: steps.map(stepJson) });
          return EXIT.OK;
        } catch (error) {
          if (!isMargError(error)) throw error;
          out.error(error.message);
          out.result({
            ok: false,
            migrated: steps.map(stepJson),
            error: { code: error.code, message: error.message },
          });
          return EXIT.FAILURE;
        } finally {
          await migrator.close();
        }
      }),
    );
}
