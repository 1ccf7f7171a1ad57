// The report as rows of text cells, shared by the terminal table and the
// Markdown file so the two can never disagree.
import { formatCount, type Spread } from "../harness/stats.js";
import type { FixedRateResult } from "../scenarios/fixed-rate.js";
import { SCENARIO_TITLES } from "../scenarios/web.js";
import type { BenchReport } from "./build-report.js";

const range = (s: Spread) => `${formatCount(s.median)} (${formatCount(s.min)}–${formatCount(s.max)})`;
const times = (s: Spread | null) =>
  s === null ? "—" : `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;

export const WEB_HEADER = [
  "",
  "scenario",
  "MARG req/s",
  "p50/p99 ms",
  "Express req/s",
  "ceiling req/s",
  "MARG/Express",
  "MARG/ceiling",
  "CPU µs/req MARG/Express/ceiling",
  "RSS MB",
  "errors",
];

export function webRows(report: BenchReport): string[][] {
  return (report.results.web ?? []).map((scenario) => {
    const of = (contender: string) => scenario.contenders.find((entry) => entry.contender === contender);
    const marg = of("marg");
    const express = of("express");
    const ceiling = of("ceiling");
    const errors = scenario.contenders.reduce((sum, entry) => sum + entry.errors, 0);
    return [
      scenario.id,
      SCENARIO_TITLES[scenario.id],
      marg === undefined ? "—" : range(marg.requestsPerSecond),
      marg === undefined ? "—" : `${marg.latencyP50Ms.median}/${marg.latencyP99Ms.median}`,
      express === undefined ? "—" : range(express.requestsPerSecond),
      ceiling === undefined ? "—" : range(ceiling.requestsPerSecond),
      times(scenario.margOverExpress),
      times(scenario.margOverCeiling),
      ["marg", "express", "ceiling"]
        .map((contender) => {
          const micros = of(contender)?.cpuMicrosPerRequest;
          return micros === null || micros === undefined ? "—" : String(Math.round(micros.median));
        })
        .join("/"),
      marg?.rssMb === null || marg === undefined ? "—" : String(marg.rssMb),
      String(errors),
    ];
  });
}

export function otherRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  const signIn = report.results.signIn;
  if (signIn !== undefined)
    rows.push([
      "E",
      SCENARIO_TITLES.E,
      `${signIn.loginsPerSecond.toFixed(1)} sign-ins/s; one argon2id verify ${signIn.hashMs.toFixed(1)} ms (m=${signIn.argon2.memoryCost} KiB, t=${signIn.argon2.timeCost}, p=${signIn.argon2.parallelism}); anonymous p99 ${signIn.anonymousIdle.latencyP99Ms} ms idle → ${signIn.anonymousDuringStorm.latencyP99Ms} ms during the storm; errors ${signIn.errors}`,
    ]);
  const jobs = report.results.jobs;
  if (jobs?.margJobsPerSecond !== undefined)
    rows.push([
      "F",
      SCENARIO_TITLES.F,
      `MARG ${formatCount(jobs.margJobsPerSecond)} jobs/s, bare BullMQ ${formatCount(jobs.bullmqJobsPerSecond ?? 0)} jobs/s, MARG/BullMQ ${times(jobs.margOverBullmq)}${jobs.latencyP99Ms === undefined ? "" : `; p99 ${jobs.latencyP99Ms.toFixed(1)} ms at 100 jobs/s`}`,
    ]);
  const startup = report.results.startup;
  if (startup !== undefined) {
    const ms = (s: Spread) => `${s.median} ms (${s.min}–${s.max})`;
    const mb = (s: Spread) => `${s.median} MB`;
    rows.push([
      "start",
      "marg serve flow: process start → first 200",
      `compiled ${ms(startup.compiled.firstOkMs)}, tsx ${ms(startup.tsx.firstOkMs)}; CPU time by then compiled ${ms(startup.compiled.cpuMs)}, tsx ${ms(startup.tsx.cpuMs)}; RSS at that 200 (with children) compiled ${mb(startup.compiled.rssMb)}, tsx ${mb(startup.tsx.rssMb)}`,
    ]);
  }
  const token = report.results.apiToken;
  if (token !== undefined) {
    const way = (name: string, w: typeof token.cookie) =>
      `${name} ${range(w.requestsPerSecond)} req/s, p99 ${w.latencyP99Ms.median} ms${w.cpuMicrosPerRequest === null ? "" : `, ${Math.round(w.cpuMicrosPerRequest.median)} µs CPU/req`}`;
    rows.push([
      "T",
      "GET /api/v1/me: API token vs session cookie",
      `${way("bearer", token.bearer)}; ${way("cookie", token.cookie)}; bearer/cookie ${times(token.bearerOverCookie)}; errors ${token.bearer.errors + token.cookie.errors}`,
    ]);
  }
  const oidc = report.results.oidc;
  if (oidc !== undefined) {
    // Ratios well below 1: three places, or 0.02× would hide a factor of two.
    const fraction = (r: Spread | null) =>
      r === null ? "—" : `${r.median.toFixed(3)}× (${r.min.toFixed(3)}–${r.max.toFixed(3)})`;
    const way = (name: string, w: typeof oidc.page) =>
      `${name} ${range(w.requestsPerSecond)} req/s, p99 ${w.latencyP99Ms.median} ms${w.cpuMicrosPerRequest === null ? "" : `, ${Math.round(w.cpuMicrosPerRequest.median)} µs CPU/req`}`;
    rows.push([
      "O",
      "OpenID provider (one id process) vs B's signed-in page",
      `${way("token (code exchange)", oidc.token)}; ${way("userinfo", oidc.userinfo)}; ${way("signed-in page", oidc.page)}; token/page ${fraction(oidc.tokenOverPage)}, userinfo/page ${fraction(oidc.userinfoOverPage)} (by CPU time: ${fraction(oidc.tokenOverPageByCpu)}, ${fraction(oidc.userinfoOverPageByCpu)}); ${formatCount(oidc.codesPerWindow.median)} codes a window, minted at ${formatCount(oidc.codesMintedPerSecond)}/s; errors ${oidc.token.errors + oidc.userinfo.errors + oidc.page.errors}`,
    ]);
  }
  for (const fixed of report.results.fixedRate ?? []) {
    const latencies = (results: FixedRateResult["perScenario"]) =>
      Object.entries(results)
        .map(([id, result]) => `${id} ${result.latencyP50Ms}/${result.latencyP99Ms}`)
        .join(", ");
    const ceiling =
      fixed.ceiling === undefined
        ? ""
        : `; ceiling ${latencies(fixed.ceiling)}; worst p99 MARG/ceiling ${times(fixed.worstP99OverCeiling ?? null)}`;
    rows.push([
      "rate",
      `${fixed.rate} req/s, A–D mixed`,
      `p50/p99 ms: MARG ${latencies(fixed.perScenario)}${ceiling}; errors ${fixed.errors}`,
    ]);
  }
  return rows;
}

export const AIM_HEADER = ["", "aim", "measured", "met"];

export function aimRows(report: BenchReport): string[][] {
  return report.aims.map((aim) => [
    aim.scenario,
    aim.aim,
    aim.measured,
    aim.met === null ? "—" : aim.met ? "yes" : "no",
  ]);
}

export const SEED_HEADER = ["figure", "seed", "one MARG process", "headroom at the seed's 83 req/s"];
export const PHASE_HEADER = [
  "phase",
  "users",
  "req/s",
  "app servers in the seed",
  "by the seed's 200 req/s",
  "by MARG's measured C",
];

export function seedRows(report: BenchReport): { figures: string[][]; phases: string[][] } {
  const seed = report.seed;
  if (seed === null) return { figures: [], phases: [] };
  return {
    figures: seed.rows.map((row) => [row.figure, row.seed, row.marg, row.headroomAtSeedLoad]),
    phases: seed.phases.map((phase) => [
      String(phase.phase),
      phase.users.toLocaleString("en-US"),
      phase.requestsPerSecond.toLocaleString("en-US"),
      String(phase.seedAppServers),
      String(phase.seedArithmeticServers),
      String(phase.margServers),
    ]),
  };
}
