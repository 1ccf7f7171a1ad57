import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerQueueFlush(program: Command, ctx: CliContext): void {
  program
    .command("queue:flush")
    .description("Delete every failed job (they are not run)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: { json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const { withQueue } = await import("@marg/core/kernel");
        const deleted = await withQueue(ctx.config(), (queue) => queue.flush());
        out.line(deleted === 1 ? "1 failed job deleted." : `${deleted} failed jobs deleted.`);
        out.result({ deleted });
        return EXIT.OK;
      }),
    );
}
