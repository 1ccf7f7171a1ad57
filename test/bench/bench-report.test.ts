// The contract between `npm run bench` and `marg capacity --from`: what the bench
// writes, the CLI reads. Also the pieces of the report that do arithmetic. The
// figures here are made up; the bench itself is never run by the test suite.
import { readFileSync } from "node:fs";
import path from "node:path";
import { readBenchResults } from "@marg/cli/testing";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { median, quantile, ratio, spread } from "../../bench/harness/stats.js";
import { buildReport } from "../../bench/report/build-report.js";
import { writeReport } from "../../bench/report/write-report.js";
import type { WebScenarioResult } from "../../bench/scenarios/web-rounds.js";

const temp = createTempDir("bench-report");
afterAll(() => temp.remove());

const load = (rps: number) => ({
  requests: rps * 5,
  requestsPerSecond: rps,
  latencyP50Ms: 2,
  latencyP99Ms: 9,
  latencyMaxMs: 20,
  errors: 0,
});

function scenario(
  id: "A" | "B" | "C" | "D",
  marg: number[],
  express: number[],
  ceiling: number[],
): WebScenarioResult {
  const contender = (name: "marg" | "express" | "ceiling", rounds: number[]) => ({
    contender: name,
    requestsPerSecond: spread(rounds),
    latencyP50Ms: spread([2]),
    latencyP99Ms: spread([9]),
    cpuMicrosPerRequest: spread([name === "ceiling" ? 40 : name === "marg" ? 100 : 300]),
    errors: 0,
    rssMb: 90,
    bytesPerResponse: 1500,
    rounds: rounds.map(load),
  });
  return {
    id,
    contenders: [contender("marg", marg), contender("express", express), contender("ceiling", ceiling)],
    margOverExpress: spread(marg.map((m, i) => m / (express[i] ?? 1))),
    margOverCeiling: spread(marg.map((m, i) => m / (ceiling[i] ?? 1))),
  };
}

describe("bench report", () => {
  const report = buildReport({
    results: {
      web: [
        scenario("A", [4000, 4200, 3900], [1000, 1000, 1000], [5000, 5000, 5000]),
        scenario("C", [1500, 1600, 1400], [900, 850, 800], [2000, 2000, 2000]),
      ],
      margRssMb: 120,
      startup: {
        compiled: { firstOkMs: spread([640, 610, 700]), cpuMs: spread([520]), rssMb: spread([110]) },
        tsx: { firstOkMs: spread([1900, 2000, 2100]), cpuMs: spread([1700]), rssMb: spread([170]) },
      },
      residentAfterRun: {
        marg: { rssMb: 140, peakRssMb: 160 },
        express: { rssMb: 110, peakRssMb: 130 },
        ceiling: { rssMb: 60, peakRssMb: 70 },
      },
    },
    settings: { pinned: true },
    loadAtStart: [0.5, 0.5, 0.5],
    elapsedSeconds: 300,
    cores: 2,
  });

  it("hands marg capacity the per-process figures it reads", () => {
    const [json] = writeReport(report, temp.path);
    const read = readBenchResults(json ?? "");
    expect(read.capacity.appRequestsPerSecond).toBe(1500);
    expect(read.capacity.anonymousRequestsPerSecond).toBe(4000);
    expect(read.capacity.redirectsPerSecond).toBeUndefined();
  });

  it("checks the aims from round-by-round ratios, and leaves unmeasured ones open", () => {
    const aim = (scenario: string, text: string) =>
      report.aims.find((a) => a.scenario === scenario && a.aim.includes(text));
    expect(aim("A", "Express")?.met).toBe(true); // 4.0×, 4.2×, 3.9× → median 4.0
    expect(aim("C", "Express")?.met).toBe(false); // 1.67×, 1.88×, 1.75× → median 1.75
    expect(aim("B", "Express")?.met).toBeNull();
    expect(aim("RSS", "150 MB")?.met).toBe(true);
    expect(aim("start", "≤ 1 s on compiled code")?.met).toBe(true); // 640 ms: the compiled median, not tsx's
    expect(aim("RSS", "< 150 MB")?.met).toBe(true);
    expect(aim("RSS", "≤ 150 MB")?.met).toBe(true); // 140 MB after the run
    // Express right after its rounds (90 MB in every scenario here), not idle at the end (110 MB).
    expect(aim("RSS", "1.2×")?.met).toBe(false); // 140 > 1.2 × 90
    expect(aim("RSS", "1.2×")?.measured).toBe("140 MB vs 90 MB (1.56×); Express idle at the end: 110 MB");
  });

  it("writes a Markdown table beside the JSON", () => {
    const markdown = readFileSync(path.join(temp.path, "latest.md"), "utf8");
    expect(markdown).toContain("| A | anonymous page (sign-in form) | 4,000 (3,900–4,200)");
    expect(markdown).toContain("## The seed's capacity table, measured");
    expect(markdown).toContain(
      "process start → first 200: compiled 640 ms (610–700), tsx 2000 ms (1900–2100)",
    );
    expect(markdown).toContain("| 100/300/40 |"); // CPU µs per request: MARG/Express/ceiling
  });

  it("computes medians, quantiles and ratios as stated", () => {
    expect([median([3, 1, 2]), median([4, 1, 3, 2]), median([])]).toEqual([2, 2.5, 0]);
    expect([quantile([1, 2, 3, 4, 100], 0.5), quantile([1, 2, 3, 4, 100], 0.99)]).toEqual([3, 100]);
    expect([ratio(3, 2), ratio(1, 0)]).toEqual([1.5, null]);
  });
});
