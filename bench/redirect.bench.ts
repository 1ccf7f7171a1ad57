// The redirect's requests/s with a warm cache: links.marg's GET /{slug} (one server
// process: the real app on SESSION_DRIVER=redis + CACHE_STORE=redis, click counted
// with HINCRBY) against its ceiling — a bare node:http server doing exactly one Redis
// GET + one HINCRBY per request and nothing else. Both run as child processes (this
// file re-executed with --serve), autocannon runs here; rounds are interleaved so drift
// in machine load hits both alike, and medians are compared.
// --log-level info measures production's request logging too: each server's stdout
// goes to a file (as under systemd or supervisor), never through this process.
// Reads: nothing outside its own temp installation and a scratch Redis key prefix, both
// removed at the end. Writes: a table to stdout, bench/results/redirect.json and, while
// running, the servers' logs under the OS temp folder (removed at the end).
// No timing asserts: the numbers are for people and CI logs.
// Run: node --import tsx bench/redirect.bench.ts [--duration 10] [--rounds 3] [--connections 50] [--log-level silent|info]
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { createScratchRedisPrefix, TEST_REDIS } from "@marg/core/testing";
import { startLinksTestApp, TEST_HOST } from "@marg/links/testing";
import autocannon from "autocannon";
import { Redis } from "ioredis";
import { REPO_ROOT, type RunningProcess, startProcess } from "../test/support/spawn-process.js";
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

const DURATION_S = option("duration", 10);
const LOG_LEVEL = stringOption("log-level", "silent");
const ROUNDS = option("rounds", 3);
const CONNECTIONS = option("connections", 50);
const RESULTS = path.join(REPO_ROOT, "bench", "results", "redirect.json");
const SELF = path.join(REPO_ROOT, "bench", "redirect.bench.ts");
const TARGET = "https://example.com/landing";

/** Child: links.marg itself, with one link; prints `READY <port> <slug>` on stderr (stdout is its log). */
async function serveLinks(): Promise<void> {
  const app = await startLinksTestApp({
    label: "redirect_bench",
    redis: true,
    logLevel: LOG_LEVEL,
    listen: true,
  });
  const link = await app.runtime.service.create(
    { userId: app.userIds.member, seesAll: false },
    { targetUrl: TARGET, slug: "bench-link" },
  );
  process.stderr.write(`READY ${app.port} ${link.slug}\n`);
  process.once("SIGTERM", () => {
    void app.close().then(() => process.exit(0));
  });
}

/** Child: the ceiling — node:http + one GET + one HINCRBY; prints `READY <port> <slug>`. */
async function serveBare(): Promise<void> {
  const scratch = createScratchRedisPrefix("redirect_bench_bare");
  const redis = new Redis({ host: TEST_REDIS.host, port: TEST_REDIS.port });
  await redis.set(
    `${scratch.prefix}slug:bench-link`,
    JSON.stringify({ id: 1, target: TARGET, enabled: true }),
  );
  const server = createServer((request, response) => {
    const slug = (request.url ?? "/").slice(1);
    redis
      .get(`${scratch.prefix}slug:${slug}`)
      .then(async (value) => {
        const entry = value === null ? null : (JSON.parse(value) as { id: number; target: string });
        if (entry === null) {
          response.writeHead(404).end();
          return;
        }
        await redis.hincrby(`${scratch.prefix}clicks`, `${entry.id}|2026-01-01|`, 1);
        response.writeHead(302, { location: entry.target }).end();
      })
      .catch(() => response.writeHead(500).end());
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    process.stderr.write(`READY ${port} bench-link\n`);
  });
  process.once("SIGTERM", () => {
    server.close();
    void scratch.clear().then(() => {
      redis.disconnect();
      process.exit(0);
    });
  });
}

interface Target {
  readonly name: string;
  readonly process: RunningProcess;
  readonly port: number;
  readonly slug: string;
  readonly logFile: string;
}

async function start(kind: "links" | "bare"): Promise<Target> {
  const logFile = path.join(os.tmpdir(), `marg-redirect-bench-${kind}-${process.pid}.log`);
  // stdout (the request log at info) to a file through the shell, so this process
  // (which also runs autocannon) never reads it.
  const child = startProcess(
    "sh",
    [
      "-c",
      'exec node --import tsx "$0" --serve "$1" --log-level "$2" > "$3"',
      SELF,
      kind,
      LOG_LEVEL,
      logFile,
    ],
    { env: { LOG_LEVEL } },
  );
  await child.waitFor(/READY \d+ \S+/, 90_000);
  const [, port, slug] = /READY (\d+) (\S+)/.exec(child.output()) ?? [];
  return {
    name: kind === "links" ? "links.marg GET /{slug}" : "bare node:http, GET + HINCRBY",
    process: child,
    port: Number(port),
    slug: slug ?? "",
    logFile,
  };
}

const logBytes = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

async function measure(target: Target, seconds: number): Promise<{ rps: number; p50: number; p99: number }> {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}/${target.slug}`,
    headers: { host: TEST_HOST },
    connections: CONNECTIONS,
    duration: seconds,
  });
  const redirects = result.statusCodeStats?.["302"]?.count ?? 0;
  if (result.errors > 0 || redirects !== result.requests.total) {
    throw new Error(
      `${target.name}: ${result.requests.total - redirects} answers were not 302 (errors ${result.errors})`,
    );
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const targets = [await start("links"), await start("bare")];
  try {
    console.log(
      `redirect: ${targets.length} servers × ${ROUNDS} rounds × ${DURATION_S} s, ${CONNECTIONS} connections, warm cache, LOG_LEVEL=${LOG_LEVEL}\n`,
    );
    // Warm-up, not recorded: JIT, pools and the slug caches settle first.
    for (const target of targets) await measure(target, 2);
    const rounds = new Map<Target, { rps: number; p50: number; p99: number }[]>(targets.map((t) => [t, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) {
        const result = await measure(target, DURATION_S);
        rounds.get(target)?.push(result);
        console.log(
          `  round ${round}  ${target.name.padEnd(34)} ${formatCount(result.rps).padStart(8)} req/s`,
        );
      }
    }
    const summary = targets.map((target) => {
      const runs = rounds.get(target) ?? [];
      return {
        name: target.name,
        medianRequestsPerSecond: Math.round(median(runs.map((run) => run.rps))),
        medianLatencyP50Ms: median(runs.map((run) => run.p50)),
        medianLatencyP99Ms: median(runs.map((run) => run.p99)),
        rounds: runs.map((run) => Math.round(run.rps)),
      };
    });
    const [app, ceiling] = summary;
    const ratio =
      app !== undefined && ceiling !== undefined
        ? app.medianRequestsPerSecond / ceiling.medianRequestsPerSecond
        : 0;
    console.log("");
    for (const row of summary) {
      console.log(
        `  ${row.name.padEnd(34)} median ${formatCount(row.medianRequestsPerSecond).padStart(8)} req/s  p50 ${row.medianLatencyP50Ms} ms  p99 ${row.medianLatencyP99Ms} ms`,
      );
    }
    console.log(`  links.marg / ceiling: ${(ratio * 100).toFixed(0)}%`);
    const [links] = targets;
    const logged = links === undefined ? 0 : logBytes(links.logFile);
    if (logged > 0) console.log(`  links.marg wrote ${(logged / 1024 / 1024).toFixed(1)} MB of log lines`);
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    writeFileSync(
      RESULTS,
      `${JSON.stringify(
        {
          benchmark: "redirect",
          date: new Date().toISOString(),
          node: process.version,
          cpus: os.cpus().length,
          settings: {
            durationSeconds: DURATION_S,
            rounds: ROUNDS,
            connections: CONNECTIONS,
            logLevel: LOG_LEVEL,
          },
          results: summary,
          ratio: Math.round(ratio * 1000) / 1000,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`\nWrote ${path.relative(REPO_ROOT, RESULTS)}`);
  } finally {
    for (const target of targets) {
      await target.process.stop(5000);
      rmSync(target.logFile, { force: true });
    }
  }
}

const serve = process.argv.indexOf("--serve");
if (serve !== -1) {
  await (process.argv[serve + 1] === "links" ? serveLinks() : serveBare());
} else {
  await main();
}
