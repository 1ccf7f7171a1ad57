import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import type { DownFlags } from "./down-action.js";

const DEFAULT_MESSAGE = "MARG is being updated. Please try again in a minute.";

export function registerDown(program: Command, ctx: CliContext): void {
  program
    .command("down")
    .description(
      "Put an app (or every app) into maintenance mode on every server at once: 503 with Retry-After " +
        "and the maintenance page; /health keeps answering. Undo with `marg up`",
    )
    .option("--app <id>", "only this app (default: every app of MARG_APPS)")
    .option("--message <text>", "shown on the maintenance page", DEFAULT_MESSAGE)
    .option("--retry <seconds>", "sent as Retry-After (0: none)", "60")
    .option("--secret [token]", "visiting /<token> sets a bypass cookie (no value: generate one)")
    .option(
      "--allow <ip>",
      "an address or CIDR that still gets the site (repeatable)",
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option("--workers", "also pause the queue workers (they finish the jobs in flight first)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (flags: DownFlags) => {
        const { runDown } = await import("./down-action.js");
        return runDown(ctx, flags);
      }),
    );
}
