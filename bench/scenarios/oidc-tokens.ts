// Scenario O: MARG as an OpenID provider, on one `id` process (compiled `marg serve id`,
// on the server core) — the token endpoint exchanging authorization codes (client
// secret checked against its hash, PKCE verified, ID token signed, access and refresh
// tokens stored, the RBAC claims) and userinfo with a Bearer access token — against
// the signed-in page of scenario B on the flow process, round by round, so each
// ratio is taken between figures of the same minute. Codes are single-use: every
// token window exchanges a batch minted just before it (oidc-codes.ts), each code
// once, in a closed loop of `connections` clients; its req/s is codes ÷ elapsed time.
import autocannon from "autocannon";
import { closedLoop, type HttpTarget, type LoadResult } from "../harness/http-load.js";
import { probe } from "../harness/http-probe.js";
import { cpuSeconds } from "../harness/process-cpu.js";
import type { ServerProcess } from "../harness/server-process.js";
import { type Spread, spread } from "../harness/stats.js";
import { BENCH_USER, FLOW_HOST } from "../targets/bench-installation.js";
import { type CodeMint, mintCodes, OIDC_CLIENT_ID, OIDC_REDIRECT_URI } from "./oidc-codes.js";

export type OidcWay = "page" | "token" | "userinfo";

export interface OidcWayFigures {
  readonly requestsPerSecond: Spread;
  readonly latencyP99Ms: Spread;
  /** CPU time of the answering server per request, µs. */
  readonly cpuMicrosPerRequest: Spread | null;
  readonly errors: number;
}

export interface OidcResult {
  /** B: flow's signed-in page (session + RBAC check), on the flow process. */
  readonly page: OidcWayFigures;
  /** POST /token, grant_type=authorization_code, on the id process. */
  readonly token: OidcWayFigures;
  /** GET /userinfo with the access token, on the id process. */
  readonly userinfo: OidcWayFigures;
  /** Round by round: token req/s ÷ page req/s, userinfo req/s ÷ page req/s. */
  readonly tokenOverPage: Spread;
  readonly userinfoOverPage: Spread;
  /**
   * The same ratios from CPU time per request (page µs ÷ token µs, round by round): what
   * one core given wholly to each would answer. Steadier than req/s on a shared machine,
   * where other work takes the server core for part of a window.
   */
  readonly tokenOverPageByCpu: Spread | null;
  readonly userinfoOverPageByCpu: Spread | null;
  /** Codes minted (three provider requests each) per second, outside the windows. */
  readonly codesMintedPerSecond: number;
  readonly codesPerWindow: Spread;
}

export interface OidcBenchOptions {
  readonly flow: ServerProcess;
  readonly flowCookie: string;
  readonly id: ServerProcess;
  readonly mint: CodeMint;
  readonly clientSecret: string;
  readonly rounds: number;
  readonly seconds: number;
  readonly connections: number;
  readonly log: (line: string) => void;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A code's exchange, as a confidential client sends it (client_secret_basic). */
function tokenRequest(options: OidcBenchOptions) {
  const basic = Buffer.from(
    `${encodeURIComponent(OIDC_CLIENT_ID)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString("base64");
  return {
    headers: {
      host: options.mint.host,
      authorization: `Basic ${basic}`,
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body: (code: string) =>
      form({
        grant_type: "authorization_code",
        code,
        redirect_uri: OIDC_REDIRECT_URI,
        code_verifier: options.mint.verifier,
      }),
  };
}

/** Exchanges every code once, `connections` at a time; the rate is codes answered ÷ elapsed time. */
async function exchangeAll(
  options: OidcBenchOptions,
  codes: readonly string[],
  amount: number,
): Promise<LoadResult> {
  const request = tokenRequest(options);
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.id.port}/token`,
    connections: Math.min(options.connections, amount),
    amount,
    headers: request.headers,
    requests: [
      {
        method: "POST",
        // autocannon builds a request ahead per connection: the batch holds spares, so no code is sent twice.
        setupRequest: (req) => ({ ...req, method: "POST", body: request.body(codes[next++] ?? "spent") }),
      },
    ],
  });
  const total = result.requests.total;
  const ok = result.statusCodeStats?.["200"]?.count ?? 0;
  return {
    requests: total,
    requestsPerSecond: result.duration > 0 ? total / result.duration : 0,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    errors: result.errors + (total - ok),
  };
}

/** One code exchanged by hand: the tokens are real (the access token drives userinfo). */
async function firstTokens(options: OidcBenchOptions): Promise<{ accessToken: string }> {
  const [code] = await mintCodes(options.mint, 1, 1);
  const request = tokenRequest(options);
  const answer = await probe(options.id.port, {
    host: options.mint.host,
    path: "/token",
    headers: request.headers,
    body: request.body(code ?? ""),
  });
  const json = answer.status === 200 ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
  if (typeof json.access_token !== "string" || typeof json.id_token !== "string")
    throw new Error(`O: POST /token answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  return { accessToken: json.access_token };
}

export async function measureOidc(options: OidcBenchOptions): Promise<OidcResult> {
  const { accessToken } = await firstTokens(options);
  const targets: Record<"page" | "userinfo", HttpTarget & { server: ServerProcess; mustContain: string }> = {
    page: {
      server: options.flow,
      port: options.flow.port,
      host: FLOW_HOST,
      path: "/bench/signed-in",
      headers: { cookie: options.flowCookie },
      expectStatus: 200,
      mustContain: "Hello, ",
    },
    userinfo: {
      server: options.id,
      port: options.id.port,
      host: options.mint.host,
      path: "/userinfo",
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
      expectStatus: 200,
      mustContain: BENCH_USER.email,
    },
  };
  for (const [name, target] of Object.entries(targets)) {
    const answer = await probe(target.port, target);
    if (answer.status !== 200 || !answer.body.includes(target.mustContain))
      throw new Error(`O (${name}): ${target.path} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    await closedLoop(target, { connections: options.connections, seconds: 2 });
  }
  // Warm the token path and learn both rates, to size each window's batch.
  const warmup = 64;
  const mintStarted = performance.now();
  const warmCodes = await mintCodes(options.mint, warmup + 2 * options.connections);
  let mintRate = warmCodes.length / ((performance.now() - mintStarted) / 1000);
  let tokenRate = (await exchangeAll(options, warmCodes, warmup)).requestsPerSecond;

  const results: Record<OidcWay, LoadResult[]> = { page: [], token: [], userinfo: [] };
  const cpu: Record<OidcWay, number[]> = { page: [], token: [], userinfo: [] };
  const batches: number[] = [];
  const ways: readonly OidcWay[] = ["page", "token", "userinfo"];
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? ways : [...ways].reverse();
    for (const way of order) {
      let measure: () => Promise<LoadResult>;
      let server: ServerProcess;
      if (way === "token") {
        // About `seconds` of exchanges, and minted well inside the codes' 60 s life.
        const amount = Math.round(Math.min(Math.max(tokenRate * options.seconds, 100), mintRate * 40));
        const started = performance.now();
        const codes = await mintCodes(options.mint, amount + 2 * options.connections);
        mintRate = codes.length / ((performance.now() - started) / 1000);
        batches.push(amount);
        measure = () => exchangeAll(options, codes, amount);
        server = options.id;
      } else {
        const target = targets[way];
        measure = () => closedLoop(target, { connections: options.connections, seconds: options.seconds });
        server = target.server;
      }
      const before = cpuSeconds(server.pid);
      const result = await measure();
      const after = cpuSeconds(server.pid);
      if (way === "token") tokenRate = result.requestsPerSecond;
      results[way].push(result);
      if (before !== null && after !== null && result.requests > 0)
        cpu[way].push(((after - before) / result.requests) * 1e6);
      const micros = cpu[way].at(-1);
      options.log(
        `  round ${round}  O  ${way.padEnd(9)} ${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s  p99 ${result.latencyP99Ms} ms${micros === undefined ? "" : `  ${Math.round(micros)} µs CPU/req`}${result.errors > 0 ? `  errors ${result.errors}` : ""}`,
      );
    }
  }
  const figures = (way: OidcWay): OidcWayFigures => ({
    requestsPerSecond: spread(results[way].map((r) => r.requestsPerSecond)),
    latencyP99Ms: spread(results[way].map((r) => r.latencyP99Ms)),
    cpuMicrosPerRequest: cpu[way].length === 0 ? null : spread(cpu[way]),
    errors: results[way].reduce((sum, r) => sum + r.errors, 0),
  });
  const overPage = (way: OidcWay) =>
    spread(
      results[way].map((r, i) => r.requestsPerSecond / (results.page[i]?.requestsPerSecond ?? Number.NaN)),
    );
  const overPageByCpu = (way: OidcWay) =>
    cpu[way].length === 0 || cpu[way].length !== cpu.page.length
      ? null
      : spread(cpu[way].map((micros, i) => (cpu.page[i] ?? Number.NaN) / micros));
  return {
    page: figures("page"),
    token: figures("token"),
    userinfo: figures("userinfo"),
    tokenOverPage: overPage("token"),
    userinfoOverPage: overPage("userinfo"),
    tokenOverPageByCpu: overPageByCpu("token"),
    userinfoOverPageByCpu: overPageByCpu("userinfo"),
    codesMintedPerSecond: Math.round(mintRate),
    codesPerWindow: spread(batches),
  };
}
