// Load from this process: closed loop with autocannon (N connections as fast as
// the server answers) for throughput, or an open loop at a fixed rate for
// latency at a given load. Every answer's status is checked: a wrong status counts as an
// error, so a scenario that quietly turns into redirects to /login is visible.
import { Agent, request } from "node:http";
import autocannon from "autocannon";
import { quantile } from "./stats.js";

export interface HttpTarget {
  readonly port: number;
  /** Host header: picks the app (flow.marg.test, links.marg.test). */
  readonly host: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expectStatus: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  /** Socket errors (timeouts included) and answers with another status than expected. */
  readonly errors: number;
}

function summarise(result: autocannon.Result, expectStatus: number, seconds: number): LoadResult {
  const total = result.requests.total;
  const expected = result.statusCodeStats?.[`${expectStatus}`]?.count ?? 0;
  return {
    requests: total,
    requestsPerSecond: total / seconds,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    errors: result.errors + (total - expected),
  };
}

/** `connections` clients, each sending its next request as soon as the last is answered. */
export async function closedLoop(
  target: HttpTarget,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}${target.path}`,
    headers: { host: target.host, ...target.headers },
    connections: options.connections,
    duration: options.seconds,
  });
  return summarise(result, target.expectStatus, options.seconds);
}

/**
 * An open-loop load: requests leave at evenly spaced instants, `rate` a second,
 * whether or not earlier ones were answered — as independent users' clicks arrive.
 * Latency runs from the instant a request was due, so a stalled server is charged
 * for the requests that queued behind it (no coordinated omission). autocannon's
 * own rate limit sends each second's quota in one burst, which measures queueing
 * behind the burst instead; hence this.
 */
/** What one open-loop run saw: every answer's latency, for pooling across rounds. */
export interface FixedRateSamples {
  /** Milliseconds from the instant each request was due to its answer's end. */
  readonly latencies: readonly number[];
  readonly errors: number;
  readonly elapsedMs: number;
}

export async function fixedRateSamples(
  target: HttpTarget,
  options: { rate: number; seconds: number },
): Promise<FixedRateSamples> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      send(agent, target).then(
        (status) => {
          latencies.push(performance.now() - due);
          if (status !== target.expectStatus) errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latencies, errors, elapsedMs: performance.now() - started };
}

/** Summarises the samples of one or more open-loop runs (pooled, so p99 rests on all of them). */
export function summariseSamples(runs: readonly FixedRateSamples[]): LoadResult {
  const latencies = runs.flatMap((run) => run.latencies);
  const elapsedMs = runs.reduce((sum, run) => sum + run.elapsedMs, 0);
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: latencies.length + runs.reduce((sum, run) => sum + run.errors, 0),
    requestsPerSecond: elapsedMs > 0 ? latencies.length / (elapsedMs / 1000) : 0,
    latencyP50Ms: round1(quantile(latencies, 0.5)),
    latencyP99Ms: round1(quantile(latencies, 0.99)),
    latencyMaxMs: round1(quantile(latencies, 1)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

/** One open-loop run at `rate` requests/s, summarised. */
export async function fixedRate(
  target: HttpTarget,
  options: { rate: number; seconds: number },
): Promise<LoadResult> {
  return summariseSamples([await fixedRateSamples(target, options)]);
}

function send(agent: Agent, target: HttpTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port: target.port,
        path: target.path,
        headers: { host: target.host, ...target.headers },
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.once("timeout", () => req.destroy(new Error("timed out")));
    req.once("error", reject);
    req.end();
  });
}
