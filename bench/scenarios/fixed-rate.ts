// The seed's load, and ten times it: a steady mix of A–D against MARG's processes
// (a quarter of the rate each), the way 500 (or 5,000) active users at 10
// requests a minute would arrive. What matters here is latency, not throughput.
import { fixedRate, type LoadResult } from "../harness/http-load.js";
import type { WebCase, WebScenarioId } from "./web.js";

export interface FixedRateResult {
  readonly rate: number;
  readonly seconds: number;
  readonly perScenario: Readonly<Record<WebScenarioId, LoadResult>>;
  /** The worst p99 of the four: the figure held against the target. */
  readonly worstP99Ms: number;
  readonly errors: number;
}

export async function measureFixedRateMix(
  margCases: readonly WebCase[],
  options: { rate: number; seconds: number },
): Promise<FixedRateResult> {
  const share = options.rate / margCases.length;
  const results = await Promise.all(
    margCases.map((target) => fixedRate(target, { rate: share, seconds: options.seconds })),
  );
  const perScenario = Object.fromEntries(
    margCases.map((target, i) => [target.scenario, results[i]]),
  ) as Record<WebScenarioId, LoadResult>;
  return {
    rate: options.rate,
    seconds: options.seconds,
    perScenario,
    worstP99Ms: Math.max(...results.map((result) => result.latencyP99Ms)),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  };
}
