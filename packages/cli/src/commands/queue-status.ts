import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerQueueStatus(program: Command, ctx: CliContext): void {
  program
    .command("queue:status")
    .description("Queue sizes per state, workers alive, and jobs handled in the last minute")
    .option("--json", "print the status as JSON")
    .action(
      ctx.action(async (options: { json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const { withQueue } = await import("@marg/core/kernel");
        const status = await withQueue(ctx.config(), (queue) => queue.status());
        out.line(`Driver: ${status.driver}`);
        if (status.queues.length === 0) out.line("No jobs queued and none failed.");
        else
          out.line(
            `${"queue".padEnd(20)} ${"waiting".padStart(8)} ${"delayed".padStart(8)} ${"active".padStart(8)} ${"failed".padStart(8)}`,
          );
        for (const counts of status.queues) {
          out.line(
            `${counts.queue.padEnd(20)} ${String(counts.waiting).padStart(8)} ${String(counts.delayed).padStart(8)} ` +
              `${String(counts.active).padStart(8)} ${String(counts.failed).padStart(8)}`,
          );
        }
        out.line(`Workers alive: ${status.workers.length}`);
        for (const worker of status.workers) {
          const since = new Date(worker.startedAt).toISOString();
          out.line(
            `  ${worker.id}  ${worker.state}  queues=${worker.queues.join(",")}  processed=${worker.processed}  since ${since}`,
          );
        }
        const { completed, failed } = status.throughputLastMinute;
        out.line(`Last minute: ${completed} completed, ${failed} failed`);
        out.result(status);
        return EXIT.OK;
      }),
    );
}
