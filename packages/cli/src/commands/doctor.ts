import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command("doctor")
    .description(
      "Check the installation the way the seed's Troubleshooting section does (sessions shared, jobs stuck, " +
        "Redis and MySQL settings, indexes, disk, .env permissions, the example APP_KEY); exit 0 ok, 1 warnings, 3 failures (2 is bad usage)",
    )
    .option("--json", "print the findings as JSON")
    .action(
      ctx.action(async (options: { json?: boolean }) => {
        const { runDoctorCommand } = await import("./doctor-action.js");
        return runDoctorCommand(ctx, options);
      }),
    );
}
