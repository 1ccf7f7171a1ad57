import path from "node:path";
import { MargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { BenchResults } from "../capacity/bench-results.js";
import type { CapacityInput } from "../capacity/capacity-plan.js";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

interface CapacityFlags {
  users?: string;
  reqPerMin: string;
  jobsPerMin?: string;
  from?: string | true;
  json?: boolean;
}

/** Ten million active users: far past the seed's last phase (50,000), short of a typo's extra zeros. */
export const MAX_USERS = 10_000_000;
/** A thousand requests a minute per user is already a script, not a person. */
export const MAX_REQUESTS_PER_USER_PER_MINUTE = 1000;
const MAX_JOBS_PER_MINUTE = 1_000_000_000;
/** Where `npm run bench` writes its results: what `--from` reads when it names no file. */
export const DEFAULT_BENCH_RESULTS = "bench/results/latest.json";

function usage(message: string): MargError {
  return new MargError("E_CLI_USAGE", message, { status: 400 });
}

function parseNumber(
  raw: string,
  flag: string,
  options: { min: number; max: number; whole: boolean; aboveMin?: boolean },
): number {
  const value = Number(raw);
  const ok = raw.trim() !== "" && Number.isFinite(value) && (!options.whole || Number.isInteger(value));
  const low = options.aboveMin === true ? value <= options.min : value < options.min;
  if (!ok || low || value > options.max) {
    const kind = options.whole ? "a whole number" : "a number";
    const [min, max] = [options.min, options.max].map((n) => n.toLocaleString("en-US"));
    const range = options.aboveMin === true ? `above ${min} and at most ${max}` : `from ${min} to ${max}`;
    throw usage(`${flag} must be ${kind} ${range}; got "${raw}".`);
  }
  return value;
}

/** Turns the flags into the arithmetic's input, or a usage error naming the bad flag. */
export function parseCapacityFlags(flags: CapacityFlags): CapacityInput {
  if (flags.users === undefined)
    throw usage("--users is required: the number of active users, e.g. --users 500.");
  const jobsPerMinute =
    flags.jobsPerMin === undefined
      ? undefined
      : parseNumber(flags.jobsPerMin, "--jobs-per-min", { min: 0, max: MAX_JOBS_PER_MINUTE, whole: false });
  return {
    users: parseNumber(flags.users, "--users", { min: 1, max: MAX_USERS, whole: true }),
    requestsPerUserPerMinute: parseNumber(flags.reqPerMin, "--req-per-min", {
      min: 0,
      aboveMin: true,
      max: MAX_REQUESTS_PER_USER_PER_MINUTE,
      whole: false,
    }),
    ...(jobsPerMinute === undefined ? {} : { jobsPerMinute }),
  };
}

const HELP_AFTER = `
The seed's arithmetic (Capacity Planning): requests/s = users × requests/min ÷ 60
(500 × 10 ÷ 60 = 83). Each request is 1 Redis op and 1 MySQL query, as the seed's
"120x of 10,000 ops/s" implies. For each tier (load balancer, app servers, Redis,
MySQL, queue workers): servers needed = ceil(load ÷ one 1-vCPU server's capacity),
at least 1; headroom = one server's capacity ÷ load; the bottleneck is the tier
with the least headroom. The phase is the seed's heading whose user range holds N
(2: up to 500, 3: 501-5,000, 4: 5,001-50,000); its server counts and its HA
minimum (a phase fact, not arithmetic) are shown next to the arithmetic.

Per-server figures, the seed's: Nginx 1,000 req/s, PHP-FPM 200 req/s,
Redis 10,000 ops/s, MySQL 500 queries/s, a worker server 100 jobs/min.
Jobs: the seed gives no jobs per user; the default assumes 1 job per active user
per hour (1 per 600 requests at 10/min: a mail, an avatar, a report now and then).

--from reads the "capacity" block written by \`npm run bench\`: one MARG app
process on one core (scenario C) stands for one 1-vCPU app server, one worker
process (scenario F) for one worker server, and its Redis ops and MySQL queries per
request replace the 1 and 1. The load balancer, Redis and MySQL keep the seed's
figures (the bench does not measure those servers).

Examples:
  marg capacity --users 500
  marg capacity --users 20000 --req-per-min 6
  marg capacity --users 5000 --from            (bench/results/latest.json)
  marg capacity --users 5000 --from results.json --json

Exit codes: 0 ok, 1 the results file is missing or invalid, 2 bad options.
See docs/capacity.md.`;

/** `marg capacity`: the seed's capacity arithmetic for N users, with measured figures when given. */
export function registerCapacity(program: Command, ctx: CliContext): void {
  program
    .command("capacity")
    .description(
      "Print the seed's capacity arithmetic for N active users: requests/s, servers needed per tier, the " +
        "bottleneck and the phase it lands in; with --from, next to the figures `npm run bench` measured",
    )
    .option("--users <n>", `active users, 1 to ${MAX_USERS.toLocaleString("en-US")}`)
    .option("--req-per-min <n>", "requests per user per minute (the seed's Capacity Planning: 10)", "10")
    .option("--jobs-per-min <n>", "total queued jobs per minute (default: users ÷ 60, 1 per user per hour)")
    .option(
      "--from [file]",
      `a bench results file (default when given without a file: ${DEFAULT_BENCH_RESULTS})`,
    )
    .option("--json", "print the report as JSON")
    .addHelpText("after", HELP_AFTER)
    .action(
      ctx.action(async (flags: CapacityFlags) => {
        const out = ctx.output(flags.json === true);
        const input = parseCapacityFlags(flags);
        const [{ readBenchResults }, { buildCapacityReport, capacityReportJson }, { renderCapacityReport }] =
          await Promise.all([
            import("../capacity/bench-results.js"),
            import("../capacity/capacity-report.js"),
            import("../capacity/render-capacity-report.js"),
          ]);
        let results: BenchResults | undefined;
        if (flags.from !== undefined) {
          const file = flags.from === true ? DEFAULT_BENCH_RESULTS : flags.from;
          // Read by its full path, shown as given.
          results = { ...readBenchResults(path.resolve(ctx.root, file)), file };
        }
        const report = buildCapacityReport(input, results);
        // One write: a reader that stops early (`| head`) then closes the pipe after it, not mid-report.
        out.line(renderCapacityReport(report, out.colors).join("\n"));
        out.result(capacityReportJson(report));
        return EXIT.OK;
      }),
    );
}
