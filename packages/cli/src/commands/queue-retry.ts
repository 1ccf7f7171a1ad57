import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerQueueRetry(program: Command, ctx: CliContext): void {
  program
    .command("queue:retry")
    .description("Put a failed job (or all of them) back on its queue with fresh attempts")
    .argument("<id>", "the failed job's id (see queue:failed), or `all`")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (id: string, options: { json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const { withQueue } = await import("@marg/core/kernel");
        if (id === "all") {
          const retried = await withQueue(ctx.config(), (queue) => queue.retryAll());
          out.line(
            retried === 1
              ? "1 failed job is back on its queue."
              : `${retried} failed jobs are back on their queues.`,
          );
          out.result({ retried });
          return EXIT.OK;
        }
        // An unknown id is E_QUEUE_FAILED_JOB_NOT_FOUND: one clear line, exit 1.
        await withQueue(ctx.config(), (queue) => queue.retry(id));
        out.line(`Failed job ${id} is back on its queue.`);
        out.result({ retried: 1, id });
        return EXIT.OK;
      }),
    );
}
