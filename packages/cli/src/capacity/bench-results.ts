import { readFileSync } from "node:fs";
import { MargError } from "@marg/core/errors";
import { z } from "zod";
import { type CapacityFigures, SEED_CAPACITY_FIGURES } from "./capacity-plan.js";

/**
 * Reads the `capacity` block of a results file written by `npm run bench`
 * (bench/results/latest.json) and turns it into per-server figures. Other top-level
 * fields are the bench's business and are ignored.
 */

const rate = z.number().finite().positive();
const perRequest = z.number().finite().nonnegative();

const capacitySchema = z.object({
  /** One MARG app process on one core: signed-in page + one indexed MySQL query (scenario C), median. */
  appRequestsPerSecond: rate,
  anonymousRequestsPerSecond: rate.optional(),
  redirectsPerSecond: rate.optional(),
  loginsPerSecond: rate.optional(),
  /** One worker process, no-op jobs, redis driver (scenario F). */
  workerJobsPerSecond: rate.optional(),
  /** Absent: 1, as the seed's arithmetic implies. */
  redisOpsPerRequest: perRequest.optional(),
  mysqlQueriesPerRequest: perRequest.optional(),
});

// Where and when it was measured is for the reader; a malformed value is dropped, not fatal.
const resultsSchema = z.object({
  date: z.string().optional().catch(undefined),
  machine: z
    .object({
      cpus: z.number().optional().catch(undefined),
      cpuModel: z.string().optional().catch(undefined),
      node: z.string().optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  capacity: capacitySchema,
});

export type BenchCapacity = z.infer<typeof capacitySchema>;
export type BenchResults = z.infer<typeof resultsSchema> & { readonly file: string };

const WHAT_TO_DO = "run `npm run bench` (it writes bench/results/latest.json), or leave out --from";

/** Reads and validates a results file; a MargError with a code and what to do otherwise. */
export function readBenchResults(file: string): BenchResults {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new MargError(
      "E_BENCH_RESULTS_MISSING",
      `No bench results at ${file} (${reason}): ${WHAT_TO_DO}.`,
      {
        status: 400,
        cause: error,
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MargError("E_BENCH_RESULTS_NOT_JSON", `${file} is not JSON (${reason}): ${WHAT_TO_DO}.`, {
      status: 400,
      cause: error,
    });
  }
  const parsed = resultsSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`,
    );
    throw new MargError(
      "E_BENCH_RESULTS_INVALID",
      `${file} has no valid "capacity" block (${problems.join("; ")}): ${WHAT_TO_DO}.`,
      { status: 400, details: { problems } },
    );
  }
  return { ...parsed.data, file };
}

/** Names of the figures a results file measured, to label them apart from the seed's. */
export type MeasuredFigure = keyof CapacityFigures;

/**
 * Per-server figures from a measurement: one app process on one core stands for one
 * 1-vCPU app server, one worker process for one 1-vCPU worker server. The load
 * balancer, Redis and MySQL are not measured by the bench, so theirs stay the seed's.
 */
export function measuredFigures(capacity: BenchCapacity): {
  figures: CapacityFigures;
  measured: readonly MeasuredFigure[];
} {
  const figures: { -readonly [K in MeasuredFigure]: number } = {
    ...SEED_CAPACITY_FIGURES,
    appRequestsPerSecond: capacity.appRequestsPerSecond,
  };
  const measured: MeasuredFigure[] = ["appRequestsPerSecond"];
  if (capacity.workerJobsPerSecond !== undefined) {
    figures.workerJobsPerMinute = capacity.workerJobsPerSecond * 60;
    measured.push("workerJobsPerMinute");
  }
  if (capacity.redisOpsPerRequest !== undefined) {
    figures.redisOpsPerRequest = capacity.redisOpsPerRequest;
    measured.push("redisOpsPerRequest");
  }
  if (capacity.mysqlQueriesPerRequest !== undefined) {
    figures.mysqlQueriesPerRequest = capacity.mysqlQueriesPerRequest;
    measured.push("mysqlQueriesPerRequest");
  }
  return { figures, measured };
}
