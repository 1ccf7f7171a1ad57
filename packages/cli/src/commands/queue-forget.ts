import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerQueueForget(program: Command, ctx: CliContext): void {
  program
    .command("queue:forget")
    .description("Delete one failed job without running it")
    .argument("<id>", "the failed job's id (see queue:failed)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (id: string, options: { json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const { withQueue } = await import("@marg/core/kernel");
        await withQueue(ctx.config(), (queue) => queue.forget(id));
        out.line(`Failed job ${id} deleted.`);
        out.result({ forgotten: 1, id });
        return EXIT.OK;
      }),
    );
}
