import { MargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";

interface WorkFlags {
  queue?: string;
  concurrency: string;
  tries: string;
  sleep: string;
  maxTime: string;
  timeout: string;
  maxJobs: string;
  jsonLogs?: boolean;
  scheduler: boolean;
}

function usage(message: string): MargError {
  return new MargError("E_CLI_USAGE", message, { status: 400 });
}

function number(value: string, flag: string, options: { min: number; max: number; whole: boolean }): number {
  const parsed = Number(value);
  const ok = value.trim() !== "" && Number.isFinite(parsed) && (!options.whole || Number.isInteger(parsed));
  if (!ok || parsed < options.min || parsed > options.max) {
    const kind = options.whole ? "a whole number" : "a number";
    throw usage(`${flag} must be ${kind} from ${options.min} to ${options.max}; got "${value}".`);
  }
  return parsed;
}

/** Turns the flags into worker options, or a usage error naming the bad flag. */
export function parseWorkFlags(flags: WorkFlags) {
  const queues = flags.queue === undefined ? undefined : flags.queue.split(",").map((name) => name.trim());
  if (queues?.some((name) => !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(name))) {
    throw usage(
      `--queue takes comma-separated queue names (letters, digits, "-", "_"); got "${flags.queue}".`,
    );
  }
  return {
    ...(queues === undefined ? {} : { queues }),
    concurrency: number(flags.concurrency, "--concurrency", { min: 1, max: 1000, whole: true }),
    tries: number(flags.tries, "--tries", { min: 1, max: 1000, whole: true }),
    sleepSeconds: number(flags.sleep, "--sleep", { min: 0.01, max: 3600, whole: false }),
    maxTimeSeconds: number(flags.maxTime, "--max-time", { min: 0, max: 31_536_000, whole: true }),
    timeoutSeconds: number(flags.timeout, "--timeout", { min: 0, max: 86_400, whole: true }),
    maxJobs: number(flags.maxJobs, "--max-jobs", { min: 0, max: 1_000_000_000, whole: true }),
  };
}

export function registerWork(program: Command, ctx: CliContext): void {
  program
    .command("work")
    .description(
      "Run a queue worker (the seed's `artisan queue:work`). SIGTERM: take no new jobs, finish the ones " +
        "in flight (up to --timeout), exit 0; --max-time and --max-jobs also exit 0 for the supervisor to restart",
    )
    .argument("[connection]", "database or redis (default: QUEUE_CONNECTION)")
    .option(
      "--queue <names>",
      "queues to work, comma-separated, in priority order (default: default + the jobs' queues)",
    )
    .option("--concurrency <n>", "jobs run at once (redis: per queue)", "1")
    .option("--tries <n>", "total tries for jobs that set none", "3")
    .option("--sleep <seconds>", "database driver: seconds between polls when the queue is empty", "3")
    .option("--max-time <seconds>", "exit cleanly after this many seconds (0 = never; seed: 3600)", "0")
    .option("--timeout <seconds>", "fail and retry a job that runs longer (0 = no limit)", "60")
    .option("--max-jobs <n>", "exit cleanly after this many jobs (0 = no limit)", "0")
    .option("--json-logs", "log one JSON object per line (for log shippers)")
    .option(
      "--no-scheduler",
      "only work jobs: leave the periodic jobs (RBAC warm, sweep, click flush) to other workers",
    )
    .action(
      ctx.action(async (connection: string | undefined, flags: WorkFlags) => {
        if (connection !== undefined && connection !== "database" && connection !== "redis") {
          throw usage(`The connection must be "database" or "redis"; got "${connection}".`);
        }
        const options = parseWorkFlags(flags);
        const { createKernel } = await import("@marg/core/kernel");
        const worker = await createKernel({ root: ctx.root, env: ctx.env }).worker({
          ...(connection === undefined ? {} : { connection }),
          options,
          scheduler: flags.scheduler,
          log: { json: flags.jsonLogs === true },
        });
        return await worker.done;
      }),
    );
}
