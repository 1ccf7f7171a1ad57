// The seed's load, and ten times it: a steady mix of A–D (a quarter of the rate
// each), the way 500 (or 5,000) active users at 10 requests a minute would arrive.
// What matters here is latency, not throughput. MARG's processes and the bare
// ceiling get the same mix at the same rate, in interleaved rounds after a warm-up,
// so the ceiling's tail shows what the machine itself adds (a 2-core box shared
// with Redis, MariaDB and the load generator has a tail of its own).
import {
  type FixedRateSamples,
  fixedRateSamples,
  type LoadResult,
  summariseSamples,
} from "../harness/http-load.js";
import { type Spread, spread } from "../harness/stats.js";
import type { WebCase, WebScenarioId } from "./web.js";

export interface FixedRateResult {
  readonly rate: number;
  /** Seconds per measured round (each contender, each round). */
  readonly seconds: number;
  readonly rounds: number;
  readonly warmupSeconds: number;
  /** MARG per scenario, every round's answers pooled. */
  readonly perScenario: Readonly<Record<WebScenarioId, LoadResult>>;
  /** The worst p99 of MARG's four: the figure held against the target. */
  readonly worstP99Ms: number;
  readonly errors: number;
  /** The bare node:http ceiling under the same mix, pooled the same way. */
  readonly ceiling?: Readonly<Record<WebScenarioId, LoadResult>>;
  readonly ceilingWorstP99Ms?: number;
  /** MARG's worst p99 over the ceiling's, round by round. */
  readonly worstP99OverCeiling?: Spread;
}

type Contender = "marg" | "ceiling";

export interface FixedRateOptions {
  readonly rate: number;
  readonly seconds: number;
  readonly rounds: number;
  /** Seconds of the same mix before measuring, per contender: JIT and caches warm, as a serving process is. */
  readonly warmupSeconds: number;
}

/** Runs the four scenarios of one contender at once, each at a quarter of the rate. */
async function runMix(cases: readonly WebCase[], rate: number, seconds: number): Promise<FixedRateSamples[]> {
  const share = rate / cases.length;
  return Promise.all(cases.map((target) => fixedRateSamples(target, { rate: share, seconds })));
}

function worstP99(results: Readonly<Record<string, LoadResult>>): number {
  return Math.max(...Object.values(results).map((result) => result.latencyP99Ms));
}

function pooled(
  cases: readonly WebCase[],
  runs: readonly FixedRateSamples[][],
): Record<WebScenarioId, LoadResult> {
  return Object.fromEntries(
    cases.map((target, i) => [target.scenario, summariseSamples(runs.map((round) => round[i] ?? emptyRun))]),
  ) as Record<WebScenarioId, LoadResult>;
}

const emptyRun: FixedRateSamples = { latencies: [], errors: 0, elapsedMs: 0 };

/** `cases`: MARG's A–D and, when present, the ceiling's A–D. */
export async function measureFixedRateMix(
  cases: readonly WebCase[],
  options: FixedRateOptions,
): Promise<FixedRateResult> {
  const byContender = (contender: Contender) => cases.filter((target) => target.contender === contender);
  const contenders = (["marg", "ceiling"] as const).filter((contender) => byContender(contender).length > 0);
  const runs = new Map<Contender, FixedRateSamples[][]>(contenders.map((contender) => [contender, []]));
  if (options.warmupSeconds > 0)
    for (const contender of contenders)
      await runMix(byContender(contender), options.rate, options.warmupSeconds);
  const roundRatios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    const worst = new Map<Contender, number>();
    for (const contender of order) {
      const mix = byContender(contender);
      const samples = await runMix(mix, options.rate, options.seconds);
      runs.get(contender)?.push(samples);
      worst.set(contender, worstP99(pooled(mix, [samples])));
    }
    const marg = worst.get("marg");
    const ceiling = worst.get("ceiling");
    if (marg !== undefined && ceiling !== undefined && ceiling > 0) roundRatios.push(marg / ceiling);
  }
  const margResults = pooled(byContender("marg"), runs.get("marg") ?? []);
  const ceilingRuns = runs.get("ceiling");
  const ceilingResults = ceilingRuns === undefined ? undefined : pooled(byContender("ceiling"), ceilingRuns);
  return {
    rate: options.rate,
    seconds: options.seconds,
    rounds: options.rounds,
    warmupSeconds: options.warmupSeconds,
    perScenario: margResults,
    worstP99Ms: worstP99(margResults),
    errors: Object.values(margResults).reduce((sum, result) => sum + result.errors, 0),
    ...(ceilingResults === undefined
      ? {}
      : {
          ceiling: ceilingResults,
          ceilingWorstP99Ms: worstP99(ceilingResults),
          worstP99OverCeiling: spread(roundRatios.map((n) => Math.round(n * 100) / 100)),
        }),
  };
}
