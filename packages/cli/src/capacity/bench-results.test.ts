import { writeFileSync } from "node:fs";
import path from "node:path";
import { isMargError } from "@marg/core/errors";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { measuredFigures, readBenchResults } from "./bench-results.js";
import { SEED_CAPACITY_FIGURES } from "./capacity-plan.js";

const dir = createTempDir("bench-results");
afterAll(() => dir.remove());

function file(name: string, content: string): string {
  const target = path.join(dir.path, name);
  writeFileSync(target, content);
  return target;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isMargError(error)) return error.code;
    throw error;
  }
  return undefined;
}

const FULL = {
  benchmark: "marg",
  date: "2026-11-26T10:00:00.000Z",
  machine: { cpus: 2, cpuModel: "Test CPU", node: "v20.20.2", loadAverageAtStart: [0.5] },
  results: { web: [] },
  capacity: {
    appRequestsPerSecond: 1234.5,
    anonymousRequestsPerSecond: 2345.6,
    redirectsPerSecond: 3456.7,
    loginsPerSecond: 45.6,
    workerJobsPerSecond: 9876.5,
    redisOpsPerRequest: 2,
    mysqlQueriesPerRequest: 1,
  },
};

describe("reading the capacity block of a bench results file", () => {
  it("reads a full file and ignores the other top-level fields", () => {
    const results = readBenchResults(file("full.json", JSON.stringify(FULL)));
    expect(results.capacity).toEqual(FULL.capacity);
    expect(results.machine).toEqual({ cpus: 2, cpuModel: "Test CPU", node: "v20.20.2" });
    expect(results.date).toBe(FULL.date);
  });

  it("turns one app process and one worker process into one server each; the rest stay the seed's", () => {
    const { figures, measured } = measuredFigures(
      readBenchResults(file("full2.json", JSON.stringify(FULL))).capacity,
    );
    expect(figures).toEqual({
      ...SEED_CAPACITY_FIGURES,
      appRequestsPerSecond: 1234.5,
      workerJobsPerMinute: 9876.5 * 60,
      redisOpsPerRequest: 2,
      mysqlQueriesPerRequest: 1,
    });
    expect([...measured].sort()).toEqual(
      ["appRequestsPerSecond", "mysqlQueriesPerRequest", "redisOpsPerRequest", "workerJobsPerMinute"].sort(),
    );
  });

  it("needs only appRequestsPerSecond: work per request defaults to 1 and 1, workers to the seed's", () => {
    const minimal = file("minimal.json", JSON.stringify({ capacity: { appRequestsPerSecond: 800 } }));
    const { figures, measured } = measuredFigures(readBenchResults(minimal).capacity);
    expect(figures).toEqual({ ...SEED_CAPACITY_FIGURES, appRequestsPerSecond: 800 });
    expect(measured).toEqual(["appRequestsPerSecond"]);
  });

  it("drops a malformed machine description instead of refusing the figures", () => {
    const odd = file(
      "odd.json",
      JSON.stringify({ machine: "laptop", capacity: { appRequestsPerSecond: 800 } }),
    );
    expect(readBenchResults(odd).machine).toBeUndefined();
  });

  it("refuses a missing file with E_BENCH_RESULTS_MISSING, saying to run the bench", () => {
    const missing = path.join(dir.path, "nope.json");
    expect(codeOf(() => readBenchResults(missing))).toBe("E_BENCH_RESULTS_MISSING");
    expect(() => readBenchResults(missing)).toThrow(/npm run bench.*leave out --from/);
  });

  it("refuses a file that is not JSON with E_BENCH_RESULTS_NOT_JSON", () => {
    expect(codeOf(() => readBenchResults(file("broken.json", "{ not json")))).toBe(
      "E_BENCH_RESULTS_NOT_JSON",
    );
  });

  it.each([
    ["no capacity block", { benchmark: "marg" }, /capacity/],
    ["no app figure", { capacity: { workerJobsPerSecond: 10 } }, /capacity\.appRequestsPerSecond/],
    ["a zero rate", { capacity: { appRequestsPerSecond: 0 } }, /capacity\.appRequestsPerSecond/],
    ["a string", { capacity: { appRequestsPerSecond: "1234" } }, /capacity\.appRequestsPerSecond/],
    [
      "negative work",
      { capacity: { appRequestsPerSecond: 1, redisOpsPerRequest: -1 } },
      /redisOpsPerRequest/,
    ],
    ["a JSON array", [1, 2], /capacity/],
  ])("refuses %s with E_BENCH_RESULTS_INVALID, naming the field", (_name, content, field) => {
    const target = file(`invalid-${_name.replaceAll(" ", "-")}.json`, JSON.stringify(content));
    expect(codeOf(() => readBenchResults(target))).toBe("E_BENCH_RESULTS_INVALID");
    expect(() => readBenchResults(target)).toThrow(field);
  });
});
