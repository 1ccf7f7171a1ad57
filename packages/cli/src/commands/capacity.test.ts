import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isMargError } from "@marg/core/errors";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { MARG_BIN } from "../../../../test/support/spawn-process.js";
import { MAX_USERS, parseCapacityFlags } from "./capacity.js";

// The real `marg capacity` binary, as people run it: piped (so no colour), with and
// without a bench results file, and with the mistakes people make.

const dir = createTempDir("capacity-cli");
afterAll(() => dir.remove());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function marg(args: readonly string[], cwd = dir.path): Promise<Run> {
  const env = { ...process.env, MARG_ROOT: undefined, FORCE_COLOR: undefined, NO_COLOR: undefined };
  const child = spawn(process.execPath, [MARG_BIN, "capacity", ...args], { cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function resultsFile(name: string, content: string): string {
  const file = path.join(dir.path, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

const CAPACITY = {
  appRequestsPerSecond: 1234.5,
  loginsPerSecond: 45.6,
  workerJobsPerSecond: 9876.5,
  redisOpsPerRequest: 1,
  mysqlQueriesPerRequest: 1,
};

interface JsonTier {
  tier: string;
  serversNeeded: number;
  capacityPerServer: number;
  headroom: number | null;
}
interface JsonReport {
  requestsPerSecond: number;
  phase: { phase: number; beyond: boolean };
  seed: { tiers: JsonTier[]; bottleneck: string };
  measured: { tiers: JsonTier[]; bottleneck: string; file: string; measuredFigures: string[] } | null;
}

const appTier = (tiers: readonly JsonTier[]) => tiers.find((tier) => tier.tier === "app");

describe("marg capacity (the real binary)", () => {
  it("prints the seed's own arithmetic for 500 users, as plain text when piped", async () => {
    const run = await marg(["--users", "500"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("500 active users × 10 requests/min = 5,000 requests/min = 83.3 requests/s");
    expect(run.stdout).toMatch(/app servers \(req\/s\)\s+83\.3\s+200\s+2\.4x\s+1/);
    expect(run.stdout).toMatch(/bottleneck\s+seed: app servers, 2\.4x/);
    expect(run.stdout).toContain('lands in phase 2, "Production Ready (0-500 Active Users)"');
    expect(run.stdout).toMatch(/^how /m);
    expect(run.stdout).not.toContain("\u001b[");
  }, 60_000);

  it("answers --json for 20,000 users: phase 4, 17 app servers by the seed's figures, no measured plan", async () => {
    const run = await marg(["--users", "20000", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.requestsPerSecond).toBeCloseTo(3333.33, 1);
    expect(report.phase).toMatchObject({ phase: 4, beyond: false });
    expect(appTier(report.seed.tiers)?.serversNeeded).toBe(17);
    expect(report.seed.bottleneck).toBe("app");
    expect(report.measured).toBeNull();
  }, 60_000);

  it("reads bench/results/latest.json when --from is given without a file, next to the seed's figures", async () => {
    resultsFile("bench/results/latest.json", JSON.stringify({ benchmark: "marg", capacity: CAPACITY }));
    const run = await marg(["--users", "20000", "--from", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.measured?.file).toBe("bench/results/latest.json");
    expect(appTier(report.measured?.tiers ?? [])).toMatchObject({
      capacityPerServer: 1234.5,
      serversNeeded: 3,
    });
    expect(appTier(report.seed.tiers)?.serversNeeded).toBe(17);
    expect(report.measured?.measuredFigures).toContain("workerJobsPerMinute");
  }, 60_000);

  it("shows the measured columns in the text table with a named file", async () => {
    const file = resultsFile("named.json", JSON.stringify({ capacity: CAPACITY }));
    const run = await marg(["--users", "500", "--from", file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/measured \(\* = the seed's, not measured\)/);
    expect(run.stdout).toMatch(/app servers \(req\/s\)\s+83\.3\s+200\s+2\.4x\s+1\s+1,234\.5\s+14\.8x\s+1/);
    expect(run.stdout).toContain("sign-ins 45.6/s");
  }, 60_000);

  it.each([
    ["is not JSON", "broken.json", "{ this is not json", /is not JSON/],
    [
      "has no capacity block",
      "no-block.json",
      JSON.stringify({ benchmark: "marg" }),
      /no valid "capacity" block/,
    ],
  ])(
    "exits 1 when the results file %s, saying what to do",
    async (_case, name, content, message) => {
      const run = await marg(["--users", "500", "--from", resultsFile(name, content)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toContain("run `npm run bench`");
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe("");
    },
    60_000,
  );

  it("exits 1 when the results file does not exist", async () => {
    const run = await marg(["--users", "500", "--from", "no/such/file.json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No bench results at .*no\/such\/file\.json.*leave out --from/);
  }, 60_000);

  it("exits 2 on bad usage, naming the flag, and prints no report", async () => {
    const [zero, missing] = await Promise.all([marg(["--users", "0"]), marg(["--req-per-min", "10"])]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--users must be a whole number from 1 to 10,000,000; got "0"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--users is required");
    expect(zero.stdout + missing.stdout).toBe("");
  }, 60_000);
});

describe("parseCapacityFlags", () => {
  const usageCode = (flags: Parameters<typeof parseCapacityFlags>[0]) => {
    try {
      parseCapacityFlags(flags);
    } catch (error) {
      return isMargError(error) ? error.code : "not a MargError";
    }
    return "accepted";
  };

  it.each([
    ["users 1.5", { users: "1.5", reqPerMin: "10" }],
    ["users abc", { users: "abc", reqPerMin: "10" }],
    ["users past the maximum", { users: String(MAX_USERS + 1), reqPerMin: "10" }],
    ["users empty", { users: " ", reqPerMin: "10" }],
    ["req-per-min 0", { users: "10", reqPerMin: "0" }],
    ["req-per-min -1", { users: "10", reqPerMin: "-1" }],
    ["req-per-min Infinity", { users: "10", reqPerMin: "Infinity" }],
    ["jobs-per-min -5", { users: "10", reqPerMin: "10", jobsPerMin: "-5" }],
  ])("refuses %s as a usage error", (_name, flags) => {
    expect(usageCode(flags)).toBe("E_CLI_USAGE");
  });

  it("accepts fractional request rates, the maximum user count and zero jobs", () => {
    expect(parseCapacityFlags({ users: String(MAX_USERS), reqPerMin: "0.5", jobsPerMin: "0" })).toEqual({
      users: MAX_USERS,
      requestsPerUserPerMinute: 0.5,
      jobsPerMinute: 0,
    });
  });
});
