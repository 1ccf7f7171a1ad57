import { request } from "node:http";
import { MargError } from "@marg/core/errors";
import type { HaproxyRuntime } from "./haproxy-runtime.js";
import { runShell } from "./run-shell.js";

export interface RollingDeployOptions {
  readonly runtime: HaproxyRuntime;
  /**
   * The backends a server is drained from: every app it serves (app_flow,
   * app_links…), since the deploy command restarts all of them. A string is one backend.
   */
  readonly backend: string | readonly string[];
  /** In order; each is a server name in the backend. */
  readonly servers: readonly string[];
  /** Run for each server with `{server}`, `{host}` and `{port}` replaced; also MARG_DEPLOY_SERVER in its env. */
  readonly command: string;
  /** Default `http://{host}:{port}/health`, from HAProxy's own address of the server. */
  readonly healthUrl?: string;
  /**
   * The Host header of the health check, e.g. flow.marg.test: the rendered
   * nginx drops requests for any other host (its catch-all answers 444), so
   * checking an http server's nginx by address alone never succeeds. Several
   * (one per app the command restarted): each must answer 200 before the
   * server is set ready, else a slower app would get traffic before it listens.
   */
  readonly healthHost?: string | readonly string[];
  readonly drainTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
  readonly healthTimeoutMs?: number;
  readonly pollMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Every step, as it happens. */
  readonly log: (line: string) => void;
}

export interface RollingDeployResult {
  readonly deployed: readonly string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: () => Promise<boolean>, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await what()) return true;
    } catch {
      // not there yet: a restarting server refuses connections
    }
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
  }
}

/** GET `url` (with `host` as the Host header when given); resolves with the status. */
function statusOf(url: string, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host === undefined ? {} : { host }, timeout: 2_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(server|host|port)\}/g, (_match, name: string) => values[name] ?? "");
}

/**
 * The seed's zero-downtime loop, made safe: for each server in turn, drain it
 * in HAProxy, wait for its sessions to reach 0, run the deploy command, wait
 * for /health 200, set it ready and wait for HAProxy to see it UP. The first
 * failure stops the run: servers after it are untouched; the failing one is
 * set back to ready if its code was not touched yet (drain timeout), else left
 * drained so no traffic reaches a half-deployed server.
 */
export async function rollingDeploy(options: RollingDeployOptions): Promise<RollingDeployResult> {
  const { runtime, log } = options;
  const backends = typeof options.backend === "string" ? [options.backend] : [...options.backend];
  const backend = backends[0] ?? "";
  const poll = options.pollMs ?? 250;
  const deployed: string[] = [];
  // Every name is checked before anything changes: a typo must not leave the first server drained.
  const addresses = new Map<string, { host: string; port: number }>();
  for (const server of options.servers) {
    addresses.set(server, await runtime.address(backend, server));
    for (const other of backends.slice(1)) await runtime.address(other, server);
  }
  const setAll = (server: string, state: "ready" | "drain") =>
    Promise.all(backends.map((name) => runtime.setState(name, server, state)));
  const statsOf = (server: string) => Promise.all(backends.map((name) => runtime.stat(name, server)));

  for (const [index, server] of options.servers.entries()) {
    const address = addresses.get(server) ?? { host: "", port: 0 };
    const values = { server, host: address.host, port: String(address.port) };
    const step = `[${index + 1}/${options.servers.length}] ${server}`;

    log(`${step}: drain`);
    await setAll(server, "drain");
    const drained = await until(
      async () => (await statsOf(server)).every((stat) => stat.sessions === 0),
      options.drainTimeoutMs ?? 60_000,
      poll,
    );
    if (!drained) {
      await setAll(server, "ready");
      throw new MargError(
        "E_ROLLING_DRAIN_TIMEOUT",
        `${server} still had sessions after ${options.drainTimeoutMs ?? 60_000} ms; set back to ready, nothing deployed. Raise --drain-timeout or retry.`,
      );
    }
    log(`${step}: drained (0 sessions); running the deploy command`);

    const code = await runShell(fill(options.command, values), {
      env: { ...process.env, ...options.env, MARG_DEPLOY_SERVER: server },
      timeoutMs: options.commandTimeoutMs ?? 600_000,
      onLine: (line) => log(`${step}: | ${line}`),
    });
    if (code !== 0) {
      throw new MargError(
        "E_ROLLING_COMMAND_FAILED",
        `The deploy command failed for ${server} (exit ${code ?? "killed on timeout"}); ${server} is left drained, ` +
          `${options.servers.slice(index + 1).join(", ") || "no other server"} untouched.`,
      );
    }

    const url = fill(options.healthUrl ?? "http://{host}:{port}/health", values);
    const hosts =
      options.healthHost === undefined
        ? [undefined]
        : typeof options.healthHost === "string"
          ? [options.healthHost]
          : [...options.healthHost];
    for (const host of hosts) {
      const via = host === undefined ? "" : ` (Host: ${host})`;
      log(`${step}: waiting for ${url}${via} to answer 200`);
      const healthy = await until(
        async () => (await statusOf(url, host)) === 200,
        options.healthTimeoutMs ?? 60_000,
        poll,
      );
      if (!healthy) {
        throw new MargError(
          "E_ROLLING_HEALTH_TIMEOUT",
          `${url}${via} did not answer 200 in time; ${server} is left drained.`,
        );
      }
    }

    await setAll(server, "ready");
    const up = await until(
      async () => (await statsOf(server)).every((stat) => /^(UP|no check)/.test(stat.status)),
      options.healthTimeoutMs ?? 60_000,
      poll,
    );
    if (!up) {
      throw new MargError(
        "E_ROLLING_HEALTH_TIMEOUT",
        `HAProxy did not see ${server} UP in time after it was set ready.`,
      );
    }
    log(`${step}: ready and UP in HAProxy`);
    deployed.push(server);
  }
  return { deployed };
}
