import type { SeedResult } from "@marg/core/db";
import { isMargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { assertForcedInProduction } from "./migrate.js";

export function registerDbSeed(program: Command, ctx: CliContext): void {
  program
    .command("db:seed")
    .description("Run the seeders of core and each app (idempotent: running it again creates no duplicates)")
    .option("--app <id>", "only this app's seeders (plus core's)")
    .option(
      "--no-demo",
      "skip the demo seeders (demo accounts and data); default roles and permissions still run",
    )
    .option("--force", "required when APP_ENV=production")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: { app?: string; demo: boolean; force?: boolean; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        assertForcedInProduction(ctx, "db:seed", options.force);
        const { createKernel } = await import("@marg/core/kernel");
        const kernel = createKernel({ root: ctx.root, env: ctx.env });
        const seeded: SeedResult[] = [];
        try {
          await kernel.seed({
            apps: kernel.selectApps(options.app),
            demo: options.demo,
            log: (line) => out.note(line),
            onEvent: (result) => {
              seeded.push(result);
              out.note(`seeded  ${result.name}  (${result.source}, ${result.ms} ms)`);
            },
          });
          out.line(seeded.length === 0 ? "No seeders are declared." : `Ran ${seeded.length} seeder(s).`);
          out.result({ ok: true, seeded });
          return EXIT.OK;
        } catch (error) {
          if (!isMargError(error)) throw error;
          out.error(error.message);
          out.result({ ok: false, seeded, error: { code: error.code, message: error.message } });
          return EXIT.FAILURE;
        }
      }),
    );
}
