// Session overhead: requests/s of the same route for a signed-in user (session in
// Redis, SESSION_DRIVER=redis, encrypted) and for a visitor with no session, measured
// with autocannon against one server process on loopback; plus the anonymous sign-in
// page and, as the ceiling, a bare node:http server doing one Redis GET per request
// (bench/session-overhead-ceiling.ts). Rounds are interleaved (every scenario once per
// round) so drift in machine load hits all of them alike.
// --log-level info measures production's request logging: the app's stdout goes to a
// file (as under systemd or supervisor), never through this process.
// Reads: nothing outside its own temp installation and a scratch Redis key prefix, both
// removed at the end. Writes: a table to stdout and bench/results/session-overhead.json.
// No timing asserts anywhere: the numbers are for people and CI logs.
// Run: node --import tsx bench/session-overhead.bench.ts [--duration 5] [--rounds 3] [--connections 10] [--log-level warn|info]
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateAppKey, loadConfig } from "@marg/core/config";
import { createPlatform } from "@marg/core/platform";
import { createScratchRedisPrefix, TEST_REDIS } from "@marg/core/testing";
import autocannon from "autocannon";
import { Redis } from "ioredis";
import { FormBrowser } from "../test/support/form-browser.js";
import { freePort } from "../test/support/free-port.js";
import { createMargInstallation } from "../test/support/marg-installation.js";
import { REPO_ROOT, type RunningProcess, startProcess } from "../test/support/spawn-process.js";
import { waitForPort } from "../test/support/wait-for-port.js";
import { formatCount, median } from "./harness/stats.js";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function stringOption(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : process.argv[index + 1];
  return value === undefined || value.startsWith("--") ? fallback : value;
}

const DURATION_S = option("duration", 5);
const LOG_LEVEL = stringOption("log-level", "warn");
// What the ceiling GETs: about what a signed-in session hash holds (user id, user snapshot, encrypted).
const CEILING_VALUE_BYTES = 640;
const ROUNDS = option("rounds", 3);
const CONNECTIONS = option("connections", 10);
const HOST = "flow.marg.test";
const RESULTS = path.join(REPO_ROOT, "bench", "results", "session-overhead.json");
const LOAD_AT_START = os.loadavg().map((n) => Number(n.toFixed(2)));

interface Scenario {
  readonly name: string;
  readonly path: string;
  readonly signedIn: boolean;
  readonly expectedStatus: number;
  /** Which server answers: the flow app (default) or the bare ceiling. */
  readonly server?: "marg" | "ceiling";
}

/** Pairs: the same route without and with a session. */
const SCENARIOS: readonly Scenario[] = [
  { name: "GET / (redirect), no session", path: "/", signedIn: false, expectedStatus: 303 },
  { name: "GET / (redirect), signed in", path: "/", signedIn: true, expectedStatus: 303 },
  {
    name: "GET /bench/page (layout page), no session",
    path: "/bench/page",
    signedIn: false,
    expectedStatus: 200,
  },
  {
    name: "GET /bench/page (layout page), signed in",
    path: "/bench/page",
    signedIn: true,
    expectedStatus: 200,
  },
  { name: "GET /login (sign-in page), no session", path: "/login", signedIn: false, expectedStatus: 200 },
  {
    name: "ceiling: node:http + one Redis GET",
    path: "/",
    signedIn: false,
    expectedStatus: 200,
    server: "ceiling",
  },
];

interface Round {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

interface Ports {
  readonly marg: number;
  readonly ceiling: number;
}

async function measure(
  ports: Ports,
  scenario: Scenario,
  cookie: string,
  seconds = DURATION_S,
): Promise<Round> {
  const result = await autocannon({
    url: `http://127.0.0.1:${ports[scenario.server ?? "marg"]}${scenario.path}`,
    headers: { host: HOST, ...(scenario.signedIn ? { cookie } : {}) },
    connections: CONNECTIONS,
    duration: seconds,
  });
  const total = result.requests.total;
  const expected = result.statusCodeStats?.[`${scenario.expectedStatus}`]?.count ?? 0;
  if (result.errors > 0 || expected !== total) {
    throw new Error(
      `${scenario.name}: ${total - expected} of ${total} answers were not ${scenario.expectedStatus} (errors ${result.errors})`,
    );
  }
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}

/** Checks that the two kinds of request really differ by the session before timing them; returns the page's size. */
async function checkScenarios(browser: FormBrowser): Promise<number> {
  const visitor = new FormBrowser(browser.site);
  const [home, anonymousHome] = [await browser.get("/"), await visitor.get("/")];
  const [page, anonymousPage] = [await browser.get("/bench/page"), await visitor.get("/bench/page")];
  const problems = [
    home.location === "/account" ? "" : `signed-in / went to ${home.location}`,
    anonymousHome.location === "/login" ? "" : `visitor's / went to ${anonymousHome.location}`,
    page.body.includes("Bench User") ? "" : "the signed-in page does not show the user",
    anonymousPage.headers["set-cookie"] === undefined ? "" : "the visitor's page started a session",
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`scenario check failed: ${problems.join("; ")}`);
  return Buffer.byteLength(page.body);
}

const BENCH_USER = { name: "Bench User", email: "bench@example.com", password: "a bench passphrase" };

async function createBenchUser(root: string): Promise<void> {
  const platform = await createPlatform(loadConfig({ app: "flow", root, env: {} }));
  try {
    await platform.users.create(BENCH_USER);
  } finally {
    await platform.close();
  }
}

async function main(): Promise<void> {
  const redis = createScratchRedisPrefix("session_bench");
  const installation = createMargInstallation("session-bench");
  installation.writeSharedEnv({
    APP_KEY: generateAppKey(),
    MARG_APPS: "flow",
    MARG_DOMAIN: "marg.test",
    SESSION_DOMAIN: ".marg.test",
    SESSION_DRIVER: "redis",
    SESSION_ENCRYPT: "true",
    REDIS_PREFIX: redis.prefix,
    // warn by default: request logs at info measure pino's output as well as the session.
    LOG_LEVEL,
  });
  const logFile = path.join(installation.root, "server.log");
  const ceilingKey = `${redis.prefix}ceiling`;
  const client = new Redis({ host: TEST_REDIS.host, port: TEST_REDIS.port });
  let server: RunningProcess | undefined;
  let ceiling: RunningProcess | undefined;
  try {
    await installation.run(["migrate"]);
    const port = await freePort();
    // stdout (the request log at info) to a file through the shell, never through this process.
    server = startProcess(
      "sh",
      ["-c", 'exec node --import tsx bench/session-overhead-server.ts > "$0"', logFile],
      { env: { MARG_ROOT: installation.root, PORT: String(port) } },
    );
    await waitForPort(port, server, 60_000);
    const browser = new FormBrowser({ host: HOST, port });
    // Sign-up is closed by default (and mails a link when open): the bench user is made directly.
    await createBenchUser(installation.root);
    const signedIn = await browser.submit("/login", "/login", {
      email: BENCH_USER.email,
      password: BENCH_USER.password,
    });
    if (signedIn.status !== 303) throw new Error(`could not sign the bench user in (${signedIn.status})`);
    const cookie = [...browser.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const pageBytes = await checkScenarios(browser);
    await client.set(ceilingKey, "s".repeat(CEILING_VALUE_BYTES));
    const ceilingPort = await freePort();
    ceiling = startProcess("node", ["--import", "tsx", "bench/session-overhead-ceiling.ts"], {
      env: { PORT: String(ceilingPort), REDIS_KEY: ceilingKey, PAGE_BYTES: String(pageBytes) },
    });
    await waitForPort(ceilingPort, ceiling, 60_000);
    const ports = { marg: port, ceiling: ceilingPort };

    console.log(
      `session overhead: ${SCENARIOS.length} scenarios × ${ROUNDS} rounds × ${DURATION_S} s, ${CONNECTIONS} connections, SESSION_DRIVER=redis, LOG_LEVEL=${LOG_LEVEL}\n`,
    );
    // Warm-up, not recorded: JIT, connection pools and Redis scripts settle before the first round.
    for (const scenario of SCENARIOS) await measure(ports, scenario, cookie, 1);
    const rounds = new Map<Scenario, Round[]>(SCENARIOS.map((scenario) => [scenario, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const scenario of SCENARIOS) {
        const measured = await measure(ports, scenario, cookie);
        rounds.get(scenario)?.push(measured);
        console.log(
          `  round ${round}  ${scenario.name.padEnd(44)} ${formatCount(measured.requestsPerSecond)} req/s`,
        );
      }
    }
    report(rounds, statSync(logFile).size);
  } finally {
    await server?.stop(10_000);
    await ceiling?.stop(5_000);
    client.disconnect();
    await redis.clear();
    installation.remove();
  }
}

function report(rounds: Map<Scenario, Round[]>, logBytes: number): void {
  const rows = SCENARIOS.map((scenario) => {
    const all = rounds.get(scenario) ?? [];
    const rps = all.map((r) => r.requestsPerSecond);
    return {
      ...scenario,
      rounds: all,
      medianRequestsPerSecond: median(rps),
      minRequestsPerSecond: Math.min(...rps),
      maxRequestsPerSecond: Math.max(...rps),
      medianLatencyP50Ms: median(all.map((r) => r.latencyP50Ms)),
    };
  });
  console.log(`\n${"scenario".padEnd(44)} ${"median req/s".padStart(12)} ${"min–max".padStart(17)}  p50 ms`);
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(44)} ${formatCount(row.medianRequestsPerSecond).padStart(12)} ${`${formatCount(row.minRequestsPerSecond)}–${formatCount(row.maxRequestsPerSecond)}`.padStart(17)}  ${row.medianLatencyP50Ms}`,
    );
  }
  const ratios = [];
  for (const routePath of new Set(SCENARIOS.map((s) => s.path))) {
    const anonymous = rows.find((row) => row.path === routePath && !row.signedIn);
    const signedIn = rows.find((row) => row.path === routePath && row.signedIn);
    if (anonymous === undefined || signedIn === undefined) continue;
    const ratio = signedIn.medianRequestsPerSecond / anonymous.medianRequestsPerSecond;
    ratios.push({ path: routePath, signedInOverNoSession: Number(ratio.toFixed(3)) });
    console.log(`ratio signed in / no session, ${routePath.padEnd(13)} ${ratio.toFixed(2)}`);
  }
  // The issue's B: a signed-in page against the bare ceiling measured in the same run.
  const ceilingRow = rows.find((row) => row.server === "ceiling");
  const toCeiling = rows
    .filter((row) => row.server !== "ceiling" && ceilingRow !== undefined)
    .map((row) => ({
      name: row.name,
      overCeiling: Number(
        (row.medianRequestsPerSecond / (ceilingRow?.medianRequestsPerSecond ?? 1)).toFixed(3),
      ),
    }));
  for (const row of toCeiling)
    console.log(`ratio to ceiling, ${row.name.padEnd(44)} ${row.overCeiling.toFixed(2)}`);
  if (logBytes > 0) console.log(`the app wrote ${(logBytes / 1024 / 1024).toFixed(1)} MB of log lines`);
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  const json = {
    benchmark: "session-overhead",
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    // A busy machine (other suites, a shared Redis) moves every number: read them with this.
    loadAverageAtStart: LOAD_AT_START,
    loadAverageAtEnd: os.loadavg().map((n) => Number(n.toFixed(2))),
    settings: {
      sessionDriver: "redis",
      sessionEncrypt: true,
      durationSeconds: DURATION_S,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      logLevel: LOG_LEVEL,
      ceilingValueBytes: CEILING_VALUE_BYTES,
    },
    scenarios: rows,
    ratios,
    toCeiling,
    logBytes,
  };
  writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
  if ((os.loadavg()[0] ?? 0) > os.cpus().length)
    console.log(
      `note: load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores; numbers are noisy`,
    );
  console.log(`\nwrote ${path.relative(REPO_ROOT, RESULTS)}`);
}

await main();
