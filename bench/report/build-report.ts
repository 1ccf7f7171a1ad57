// The shape of bench/results/latest.json, and the step that turns measured
// results into it: ratios, the aims of issue 10 checked against them, the
// per-process figures `marg capacity --from` reads, and the seed's table.

import os from "node:os";
import type { ResidentFigures } from "../harness/process-stats.js";
import type { ApiTokenResult } from "../scenarios/api-token.js";
import type { FixedRateResult } from "../scenarios/fixed-rate.js";
import type { JobsScenarioResult } from "../scenarios/jobs-scenario.js";
import type { OidcResult } from "../scenarios/oidc-tokens.js";
import type { SignInResult } from "../scenarios/sign-in.js";
import type { StartupResult } from "../scenarios/startup.js";
import type { WebScenarioId } from "../scenarios/web.js";
import type { WebScenarioResult } from "../scenarios/web-rounds.js";
import { type AimCheck, checkAims } from "./aims.js";
import { type SeedComparison, seedComparison } from "./seed-comparison.js";

export interface BenchResults {
  readonly web: readonly WebScenarioResult[];
  readonly signIn: SignInResult;
  readonly jobs: JobsScenarioResult;
  readonly fixedRate: readonly FixedRateResult[];
  /** Peak RSS of MARG's flow process (compiled code) over the whole run, MB. */
  readonly margRssMb: number;
  /** `marg serve flow` from process start to the first 200, compiled and through tsx. */
  readonly startup: StartupResult;
  /** RSS of each web contender at the end of the run (after the fixed-rate mix, when measured), and its peak. */
  readonly residentAfterRun: Readonly<Record<"marg" | "express" | "ceiling", ResidentFigures>>;
  /** T: `GET /api/v1/me` with a personal API token against the same with the session cookie. */
  readonly apiToken: ApiTokenResult;
  /** O: the id process's token endpoint (code exchange) and userinfo against B's signed-in page. */
  readonly oidc: OidcResult;
}

/** Per-process figures for `marg capacity --from`; each is a median of this run. */
export interface MeasuredCapacity {
  readonly appRequestsPerSecond?: number;
  readonly anonymousRequestsPerSecond?: number;
  readonly redirectsPerSecond?: number;
  readonly loginsPerSecond?: number;
  readonly workerJobsPerSecond?: number;
  readonly redisOpsPerRequest: number;
  readonly mysqlQueriesPerRequest: number;
}

export interface BenchReport {
  readonly benchmark: "marg";
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly loadAverageAtStart: readonly number[];
    readonly loadAverageAtEnd: readonly number[];
  };
  readonly settings: Readonly<Record<string, unknown>>;
  readonly elapsedSeconds: number;
  readonly results: Partial<BenchResults>;
  readonly aims: readonly AimCheck[];
  readonly capacity: MeasuredCapacity;
  readonly seed: SeedComparison | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function margMedian(results: Partial<BenchResults>, id: WebScenarioId): number | undefined {
  const scenario = results.web?.find((entry) => entry.id === id);
  return scenario?.contenders.find((entry) => entry.contender === "marg")?.requestsPerSecond.median;
}

export function buildReport(input: {
  results: Partial<BenchResults>;
  settings: Readonly<Record<string, unknown>> & { readonly pinned: boolean };
  loadAtStart: readonly number[];
  elapsedSeconds: number;
  /** The machine's cores, counted before this process was pinned to one. */
  cores: number;
}): BenchReport {
  const { results } = input;
  const capacity: MeasuredCapacity = {
    ...optional("appRequestsPerSecond", margMedian(results, "C")),
    ...optional("anonymousRequestsPerSecond", margMedian(results, "A")),
    ...optional("redirectsPerSecond", margMedian(results, "D")),
    ...optional("loginsPerSecond", results.signIn?.loginsPerSecond),
    ...optional("workerJobsPerSecond", results.jobs?.margJobsPerSecond),
    // A signed-in page costs MARG one Redis GET (the session; RBAC answers from
    // memory when warm) and C one query; the seed's arithmetic assumes one of each.
    redisOpsPerRequest: 1,
    mysqlQueriesPerRequest: 1,
  };
  const serverCores = input.settings.pinned ? 1 : input.cores;
  return {
    benchmark: "marg",
    date: new Date().toISOString(),
    machine: {
      cpus: input.cores,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      loadAverageAtStart: input.loadAtStart.map(round2),
      loadAverageAtEnd: os.loadavg().map(round2),
    },
    settings: input.settings,
    elapsedSeconds: input.elapsedSeconds,
    results,
    aims: checkAims(results, serverCores),
    capacity,
    seed: capacity.appRequestsPerSecond === undefined ? null : seedComparison(capacity),
  };
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined || !Number.isFinite(value)
    ? {}
    : ({ [key]: round2(value) } as Record<K, number>);
}
