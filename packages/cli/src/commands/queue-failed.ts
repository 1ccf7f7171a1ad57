import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function registerQueueFailed(program: Command, ctx: CliContext): void {
  program
    .command("queue:failed")
    .description("List failed jobs, newest first: id, queue, job, when, attempts and why")
    .option("--queue <name>", "only this queue")
    .option("--limit <n>", "at most this many", "50")
    .option("--json", "print the jobs (with payloads) as JSON")
    .action(
      ctx.action(async (options: { queue?: string; limit: string; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
          out.error(`--limit must be a whole number from 1 to 10000; got "${options.limit}".`);
          return EXIT.USAGE;
        }
        const { withQueue } = await import("@marg/core/kernel");
        const jobs = await withQueue(ctx.config(), (queue) =>
          queue.failed({ limit, ...(options.queue ? { queue: options.queue } : {}) }),
        );
        if (jobs.length === 0) out.line("No failed jobs.");
        for (const job of jobs) {
          const when = new Date(job.failedAt).toISOString();
          out.line(
            `${job.id}  ${job.queue}  ${job.name}  ${when}  ${out.colors.dim(`attempts=${job.attempts}`)}  ${oneLine(job.error, 120)}`,
          );
        }
        out.result({
          failed: jobs.map((job) => ({
            ...job,
            failedAt: new Date(job.failedAt).toISOString(),
            dispatchedAt: new Date(job.dispatchedAt).toISOString(),
          })),
        });
        return EXIT.OK;
      }),
    );
}
