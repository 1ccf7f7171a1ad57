// `npm run bench`: MARG against its peers, every figure from one run.
//   A–D  closed-loop requests/s of MARG, the Express peer and a bare node:http
//        ceiling, interleaved for --rounds rounds of --duration seconds each
//   E    sign-ins/s (argon2id) and an anonymous page's p99 beside the storm
//   T    GET /api/v1/me with a personal API token (Bearer) vs the session cookie
//   O    OpenID provider on one id process: token endpoint (code exchange) and
//        userinfo req/s vs B's signed-in page, interleaved rounds, as ratios
//   F    no-op jobs/s through one worker process, MARG vs bare BullMQ
//   fixed rate: the seed's 83 req/s and 10× that, mixed A–D, p99
//   start  `marg serve flow` from process start to the first 200, compiled vs tsx
// Servers run on core 0 (taskset), this process and its load on core 1. MARG's servers run
// the compiled code, as production does: `npm run build` first.
// Reads: a scratch MariaDB database and Redis key prefix, a temp MARG_ROOT, all
// removed at the end. Writes: bench/results/latest.json and latest.md.
// Run: npm run bench [-- --duration 6 --rounds 3 --connections 32 --only A,B,E,T,O,start --quick]
import os from "node:os";
import path from "node:path";
import { buildCompiled } from "../test/support/compiled-build.js";
import { REPO_ROOT } from "../test/support/spawn-process.js";
import { planCpus } from "./harness/cpu-pinning.js";
import { BenchUsageError, flag, intOption, runBench, stringOption } from "./harness/options.js";
import { residentFigures } from "./harness/process-stats.js";
import { type BenchResults, buildReport } from "./report/build-report.js";
import { printReport } from "./report/print-report.js";
import { writeReport } from "./report/write-report.js";
import { createBenchToken, measureApiToken } from "./scenarios/api-token.js";
import { type FixedRateResult, measureFixedRateMix } from "./scenarios/fixed-rate.js";
import { runJobsScenario } from "./scenarios/jobs-scenario.js";
import { measureOidc } from "./scenarios/oidc-tokens.js";
import { addSignInUsers, measureSignIn, SIGN_IN_ACCOUNTS } from "./scenarios/sign-in.js";
import { measureStartup } from "./scenarios/startup.js";
import { WEB_SCENARIOS, webCases } from "./scenarios/web.js";
import { runWebRounds } from "./scenarios/web-rounds.js";
import { type BenchInstallation, prepareBenchInstallation } from "./targets/bench-installation.js";
import { startIdTarget } from "./targets/start-id-target.js";
import { BENCH_USER_NAME, startTargets, stopTargets } from "./targets/start-targets.js";

const ALL = [...WEB_SCENARIOS, "E", "T", "O", "F", "rate", "start"] as const;
type Part = (typeof ALL)[number];

function readSettings(argv: readonly string[]) {
  const quick = flag(argv, "quick");
  const only = stringOption(argv, "only");
  const parts = only === undefined ? [...ALL] : only.split(",").map((part) => part.trim());
  const unknown = parts.filter((part) => !(ALL as readonly string[]).includes(part));
  if (unknown.length > 0)
    throw new BenchUsageError(`--only takes some of ${ALL.join(",")} (not ${unknown.join(",")})`);
  return {
    quick,
    durationSeconds: intOption(argv, "duration", quick ? 3 : 6),
    rounds: intOption(argv, "rounds", 3),
    connections: intOption(argv, "connections", 32),
    jobs: intOption(argv, "jobs", quick ? 5000 : 20_000),
    parts: new Set(parts as Part[]),
    pin: !flag(argv, "no-pin"),
  };
}

type Settings = ReturnType<typeof readSettings>;
type PartialResults = { -readonly [K in keyof BenchResults]?: BenchResults[K] };

/** A–E and the fixed-rate mix: every server started once, measured, stopped. */
async function measureWeb(
  installation: BenchInstallation,
  settings: Settings,
  serverPrefix: readonly string[],
  partial: PartialResults,
  log: (line: string) => void,
): Promise<void> {
  const servers = await startTargets(installation, serverPrefix);
  try {
    const cases = webCases(servers, BENCH_USER_NAME).filter((target) => settings.parts.has(target.scenario));
    if (cases.length > 0) {
      log("A–D: closed loop, interleaved rounds");
      partial.web = await runWebRounds(cases, {
        rounds: settings.rounds,
        seconds: settings.durationSeconds,
        connections: settings.connections,
        warmupSeconds: 2,
        log,
      });
    }
    if (settings.parts.has("E")) {
      log("E: sign-in storm with an anonymous page at a fixed rate beside it");
      const emails = await addSignInUsers(installation.database, SIGN_IN_ACCOUNTS);
      partial.signIn = await measureSignIn({
        port: servers.margFlow.port,
        emails,
        seconds: Math.max(5, settings.durationSeconds),
        anonymousRate: 50,
      });
    }
    if (settings.parts.has("T")) {
      log("T: GET /api/v1/me with an API token vs the session cookie, interleaved rounds");
      partial.apiToken = await measureApiToken({
        server: servers.margFlow,
        cookie: servers.margCookie,
        token: await createBenchToken(installation.root),
        rounds: settings.rounds,
        seconds: settings.durationSeconds,
        connections: settings.connections,
        log,
      });
    }
    if (settings.parts.has("O")) {
      log(
        "O: token endpoint (code exchange) and userinfo on one id process vs the signed-in page, interleaved rounds",
      );
      const id = await startIdTarget(installation, serverPrefix);
      try {
        partial.oidc = await measureOidc({
          flow: servers.margFlow,
          flowCookie: servers.margCookie,
          id: id.server,
          mint: id.mint,
          clientSecret: id.clientSecret,
          rounds: settings.rounds,
          seconds: settings.durationSeconds,
          connections: settings.connections,
          log,
        });
      } finally {
        await id.server.stop(10_000);
      }
    }
    if (settings.parts.has("rate")) {
      log("fixed rate: A–D mixed at the seed's 83 req/s and at 830 req/s, MARG and the ceiling interleaved");
      const mix = webCases(servers, BENCH_USER_NAME).filter((target) => target.contender !== "express");
      const fixedRate: FixedRateResult[] = [];
      for (const rate of [83, 830])
        fixedRate.push(
          await measureFixedRateMix(mix, {
            rate,
            seconds: Math.max(5, settings.durationSeconds),
            rounds: settings.rounds,
            warmupSeconds: settings.quick ? 1 : 3,
          }),
        );
      partial.fixedRate = fixedRate;
    }
    partial.margRssMb = Math.round(((servers.margFlow.peakResidentBytes() ?? 0) / 1024 / 1024) * 10) / 10;
    // Issue 16 compares the flow process's RSS now, after the last load, with the Express peer's.
    partial.residentAfterRun = {
      marg: residentFigures(servers.margFlow),
      express: residentFigures(servers.express),
      ceiling: residentFigures(servers.ceiling),
    };
  } finally {
    await stopTargets(servers);
  }
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv);
  const started = Date.now();
  const loadAtStart = os.loadavg();
  const cores = os.availableParallelism(); // before pinning, which narrows this process to one
  const cpus = settings.pin
    ? planCpus()
    : { pinned: false, serverPrefix: [], note: "--no-pin: nothing pinned" };
  const log = (line: string) => console.log(line);
  log(
    `MARG bench: ${settings.rounds} rounds × ${settings.durationSeconds} s, ${settings.connections} connections; ${cpus.note}`,
  );
  const partial: PartialResults = {};
  const needsServers = [...WEB_SCENARIOS, "E", "T", "O", "rate"].some((part) =>
    settings.parts.has(part as Part),
  );
  if (needsServers || settings.parts.has("start")) {
    log("building the compiled code (npm run build) …");
    await buildCompiled();
    log("preparing the installation (MariaDB, Redis, migrate, seed) …");
    const installation = await prepareBenchInstallation({ withIdApp: settings.parts.has("O") });
    try {
      if (settings.parts.has("start")) {
        log("start: marg serve flow, process start → first 200, compiled vs tsx");
        partial.startup = await measureStartup({
          root: installation.root,
          logDir: installation.logDir,
          prefix: cpus.serverPrefix,
          rounds: Math.max(3, settings.rounds),
        });
      }
      if (needsServers) await measureWeb(installation, settings, cpus.serverPrefix, partial, log);
    } finally {
      await installation.remove();
    }
  }
  if (settings.parts.has("F")) {
    log("F: no-op jobs through one worker process, MARG vs bare BullMQ");
    partial.jobs = await runJobsScenario({
      jobs: settings.jobs,
      rounds: settings.rounds,
      cpuPrefix: cpus.serverPrefix,
      log,
    });
  }
  const report = buildReport({
    results: partial,
    settings: { ...settings, parts: [...settings.parts], cpuNote: cpus.note, pinned: cpus.pinned },
    cores,
    loadAtStart,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
  });
  printReport(report, log);
  const files = writeReport(report, path.join(REPO_ROOT, "bench", "results"));
  log(`\nwrote ${files.map((file) => path.relative(REPO_ROOT, file)).join(" and ")}`);
}

if (flag(process.argv.slice(2), "help")) {
  // The header of this file is the usage: what each part measures and the flags.
  const { readFileSync } = await import("node:fs");
  const header = readFileSync(new URL(import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("//"));
  console.log(header.map((line) => line.replace(/^\/\/ ?/, "")).join("\n"));
} else {
  await runBench(main);
}
