// Interleaved rounds of A–D: every (scenario, contender) once per round, the
// contenders' order flipped every other round, so that a slow minute of the
// machine lands on all of them alike. Ratios are taken round by round.
import { closedLoop, type LoadResult } from "../harness/http-load.js";
import { probe } from "../harness/http-probe.js";
import { cpuSeconds } from "../harness/process-cpu.js";
import { megabytes } from "../harness/process-stats.js";
import { type Spread, spread } from "../harness/stats.js";
import type { Contender, WebCase, WebScenarioId } from "./web.js";

export interface ContenderResult {
  readonly contender: Contender;
  readonly requestsPerSecond: Spread;
  readonly latencyP50Ms: Spread;
  readonly latencyP99Ms: Spread;
  /**
   * CPU time (user + system) the server process spent per answered request, µs: what a
   * request costs, read from /proc, so it holds up on a busy machine where req/s does not.
   */
  readonly cpuMicrosPerRequest: Spread | null;
  readonly errors: number;
  /** Highest RSS of the server process seen right after a round of this scenario, MB. */
  readonly rssMb: number | null;
  readonly bytesPerResponse: number;
  readonly rounds: readonly LoadResult[];
}

export interface WebScenarioResult {
  readonly id: WebScenarioId;
  readonly contenders: readonly ContenderResult[];
  /** Round-by-round MARG ÷ peer; absent when the scenario has no such peer. */
  readonly margOverExpress: Spread | null;
  readonly margOverCeiling: Spread | null;
}

/** Fails before any timing if a case does not answer as its scenario says. */
export async function checkCases(cases: readonly WebCase[]): Promise<Map<WebCase, number>> {
  const sizes = new Map<WebCase, number>();
  for (const target of cases) {
    const answer = await probe(target.port, target);
    const problems = [
      answer.status === target.expectStatus ? "" : `status ${answer.status}, expected ${target.expectStatus}`,
      target.mustContain === undefined || answer.body.includes(target.mustContain)
        ? ""
        : `the body lacks ${JSON.stringify(target.mustContain)}`,
    ].filter(Boolean);
    if (problems.length > 0)
      throw new Error(`${target.scenario} on ${target.contender} (${target.path}): ${problems.join("; ")}`);
    sizes.set(target, Buffer.byteLength(answer.body));
  }
  return sizes;
}

export async function runWebRounds(
  cases: readonly WebCase[],
  options: {
    rounds: number;
    seconds: number;
    connections: number;
    warmupSeconds: number;
    log: (line: string) => void;
  },
): Promise<WebScenarioResult[]> {
  const sizes = await checkCases(cases);
  for (const target of cases)
    await closedLoop(target, { connections: options.connections, seconds: options.warmupSeconds });
  const measured = new Map<WebCase, LoadResult[]>(cases.map((target) => [target, []]));
  const cpu = new Map<WebCase, number[]>(cases.map((target) => [target, []]));
  const rss = new Map<WebCase, number>();
  const scenarios = [...new Set(cases.map((target) => target.scenario))];
  for (let round = 1; round <= options.rounds; round++) {
    for (const scenario of scenarios) {
      const ofScenario = cases.filter((target) => target.scenario === scenario);
      for (const target of round % 2 === 1 ? ofScenario : [...ofScenario].reverse()) {
        const cpuBefore = cpuSeconds(target.server.pid);
        const result = await closedLoop(target, {
          connections: options.connections,
          seconds: options.seconds,
        });
        const cpuAfter = cpuSeconds(target.server.pid);
        measured.get(target)?.push(result);
        const cpuPerRequest =
          cpuBefore === null || cpuAfter === null || result.requests === 0
            ? undefined
            : ((cpuAfter - cpuBefore) / result.requests) * 1e6;
        if (cpuPerRequest !== undefined) cpu.get(target)?.push(cpuPerRequest);
        rss.set(target, Math.max(rss.get(target) ?? 0, target.server.residentBytes() ?? 0));
        options.log(
          `  round ${round}  ${scenario}  ${target.contender.padEnd(8)} ${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s  p99 ${result.latencyP99Ms} ms${cpuPerRequest === undefined ? "" : `  ${Math.round(cpuPerRequest)} µs CPU/req`}${result.errors > 0 ? `  errors ${result.errors}` : ""}`,
        );
      }
    }
  }
  return scenarios.map((id) => summarise(id, cases, { measured, cpu, rss, sizes }));
}

function summarise(
  id: WebScenarioId,
  cases: readonly WebCase[],
  seen: {
    measured: Map<WebCase, LoadResult[]>;
    cpu: Map<WebCase, number[]>;
    rss: Map<WebCase, number>;
    sizes: Map<WebCase, number>;
  },
): WebScenarioResult {
  const { measured, cpu, rss, sizes } = seen;
  const ofScenario = cases.filter((target) => target.scenario === id);
  const roundsOf = (contender: Contender) =>
    measured.get(ofScenario.find((target) => target.contender === contender) as WebCase) ?? [];
  const ratioOf = (peer: Contender): Spread | null => {
    const marg = roundsOf("marg");
    const other = roundsOf(peer);
    if (other.length === 0 || marg.length !== other.length) return null;
    return spread(
      marg.map((round, i) => round.requestsPerSecond / (other[i]?.requestsPerSecond ?? Number.NaN)),
    );
  };
  return {
    id,
    contenders: ofScenario.map((target) => {
      const rounds = measured.get(target) ?? [];
      const cpuRounds = cpu.get(target) ?? [];
      return {
        contender: target.contender,
        requestsPerSecond: spread(rounds.map((round) => round.requestsPerSecond)),
        latencyP50Ms: spread(rounds.map((round) => round.latencyP50Ms)),
        latencyP99Ms: spread(rounds.map((round) => round.latencyP99Ms)),
        cpuMicrosPerRequest: cpuRounds.length === 0 ? null : spread(cpuRounds),
        errors: rounds.reduce((sum, round) => sum + round.errors, 0),
        rssMb: megabytes(rss.get(target) ?? null),
        bytesPerResponse: sizes.get(target) ?? 0,
        rounds,
      };
    }),
    margOverExpress: ratioOf("express"),
    margOverCeiling: ratioOf("ceiling"),
  };
}
