import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";

/**
 * `marg dev` (= `npm start`): phase 1 in one process. Creates .env.shared on a fresh
 * checkout, migrates and seeds, builds every app of MARG_APPS and serves them all
 * on one port routed by host name (flow.marg.localhost, links.marg.localhost, …).
 */
export function registerDev(program: Command, ctx: CliContext): void {
  program
    .command("dev")
    .description(
      "Run the whole ecosystem in one process on one port, routed by host name (what `npm start` runs)",
    )
    .option("--no-seed", "skip the demo seeders (demo accounts and data); default roles are still seeded")
    .action(
      ctx.action(async (options: { seed: boolean }) => {
        const { runDev } = await import("./dev-action.js");
        return runDev(ctx, options);
      }),
    );
}
