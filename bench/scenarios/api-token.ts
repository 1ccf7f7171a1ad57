// Scenario T: `GET /api/v1/me` on MARG's flow process, signed in two ways — the
// session cookie (session read + snapshot) and a personal API token
// (`Authorization: Bearer`: the checksum, one SHA-256 and one cached lookup) —
// interleaved round by round on the same server, so the ratio bearer ÷ cookie
// is taken between figures of the same minute. The token is made with the real
// `marg token:create` against the bench installation (MARG_ROOT).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { MARG_BIN, REPO_ROOT } from "../../test/support/spawn-process.js";
import { closedLoop, type HttpTarget, type LoadResult } from "../harness/http-load.js";
import { probe } from "../harness/http-probe.js";
import { cpuSeconds } from "../harness/process-cpu.js";
import type { ServerProcess } from "../harness/server-process.js";
import { type Spread, spread } from "../harness/stats.js";
import { BENCH_USER, FLOW_HOST } from "../targets/bench-installation.js";

const run = promisify(execFile);

export interface ApiTokenWay {
  readonly requestsPerSecond: Spread;
  readonly latencyP99Ms: Spread;
  /** CPU time of the server per answered request, µs. */
  readonly cpuMicrosPerRequest: Spread | null;
  readonly errors: number;
}

export interface ApiTokenResult {
  readonly cookie: ApiTokenWay;
  readonly bearer: ApiTokenWay;
  /** Round-by-round bearer req/s ÷ cookie req/s. */
  readonly bearerOverCookie: Spread;
}

/** A token for the bench user, as an operator makes one (`--json`, printed once). */
export async function createBenchToken(root: string): Promise<string> {
  const { stdout } = await run(
    "node",
    [MARG_BIN, "token:create", BENCH_USER.email, "--name", "bench", "--permissions", "tasks.view", "--json"],
    { cwd: REPO_ROOT, env: { ...process.env, MARG_ROOT: root, NO_COLOR: "1" } },
  );
  return (JSON.parse(stdout) as { token: string }).token;
}

export async function measureApiToken(options: {
  server: ServerProcess;
  cookie: string;
  token: string;
  rounds: number;
  seconds: number;
  connections: number;
  log: (line: string) => void;
}): Promise<ApiTokenResult> {
  const base = { port: options.server.port, host: FLOW_HOST, path: "/api/v1/me", expectStatus: 200 };
  const ways: Record<"cookie" | "bearer", HttpTarget> = {
    cookie: { ...base, headers: { cookie: options.cookie, accept: "application/json" } },
    bearer: { ...base, headers: { authorization: `Bearer ${options.token}`, accept: "application/json" } },
  };
  for (const [name, target] of Object.entries(ways)) {
    const answer = await probe(target.port, target);
    if (answer.status !== 200 || !answer.body.includes(BENCH_USER.email))
      throw new Error(`T (${name}): GET /api/v1/me answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    await closedLoop(target, { connections: options.connections, seconds: 2 });
  }
  const rounds = { cookie: [] as LoadResult[], bearer: [] as LoadResult[] };
  const cpu = { cookie: [] as number[], bearer: [] as number[] };
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? (["cookie", "bearer"] as const) : (["bearer", "cookie"] as const);
    for (const way of order) {
      const before = cpuSeconds(options.server.pid);
      const result = await closedLoop(ways[way], {
        connections: options.connections,
        seconds: options.seconds,
      });
      const after = cpuSeconds(options.server.pid);
      rounds[way].push(result);
      if (before !== null && after !== null && result.requests > 0)
        cpu[way].push(((after - before) / result.requests) * 1e6);
      options.log(
        `  round ${round}  T  ${way.padEnd(8)} ${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s  p99 ${result.latencyP99Ms} ms${result.errors > 0 ? `  errors ${result.errors}` : ""}`,
      );
    }
  }
  const summary = (way: "cookie" | "bearer"): ApiTokenWay => ({
    requestsPerSecond: spread(rounds[way].map((r) => r.requestsPerSecond)),
    latencyP99Ms: spread(rounds[way].map((r) => r.latencyP99Ms)),
    cpuMicrosPerRequest: cpu[way].length === 0 ? null : spread(cpu[way]),
    errors: rounds[way].reduce((sum, r) => sum + r.errors, 0),
  });
  return {
    cookie: summary("cookie"),
    bearer: summary("bearer"),
    bearerOverCookie: spread(
      rounds.bearer.map((r, i) => r.requestsPerSecond / (rounds.cookie[i]?.requestsPerSecond ?? Number.NaN)),
    ),
  };
}
