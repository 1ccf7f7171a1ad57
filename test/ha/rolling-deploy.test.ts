/**
 * A rolling deploy under load, for real: Debian's HAProxy in front of three
 * `marg serve flow` processes on loopback ports, a bounded keep-alive load
 * generator sending requests through HAProxy the whole time, and
 * `marg deploy:rolling` whose --command restarts each process with a new
 * MARG_VERSION (the X-Marg-Version header). Nothing may fail, and every
 * process must serve the new version at the end.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createCliContext, createOutput, registerDeployRolling } from "@marg/cli/testing";
import { generateAppKey } from "@marg/core/config";
import { HaproxyRuntime } from "@marg/deploy";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { createMargInstallation } from "../support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

const SERVERS = ["app1", "app2", "app3"] as const;
const BACKEND = "marg_flow";
const installation = createMargInstallation("ha-rolling");
const root = installation.root;
const socket = path.join(root, "haproxy.sock");
const runtime = new HaproxyRuntime(socket);
const ports = new Map<string, number>();
let lbPort = 0;
let haproxy: RunningProcess | undefined;

/**
 * The "deploy" the --command runs for one server: SIGTERM the running
 * `marg serve` (it drains and exits), start a new one with this MARG_VERSION,
 * wait until it answers /health. Plain Node, so it runs from `sh -c` as-is.
 */
const RESTART_SCRIPT = `
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
const [name, port] = process.argv.slice(2);
const pidFile = ${JSON.stringify(root)} + "/" + name + ".pid";
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
if (existsSync(pidFile)) {
  const old = Number(readFileSync(pidFile, "utf8"));
  if (alive(old)) {
    process.kill(old, "SIGTERM");
    for (let i = 0; i < 300 && alive(old); i++) await sleep(100);
    if (alive(old)) { console.error("old process did not exit"); process.exit(1); }
  }
  console.log("stopped " + name + " (pid " + old + ")");
}
const log = openSync(${JSON.stringify(root)} + "/" + name + ".log", "a");
const child = spawn(process.execPath, [${JSON.stringify(MARG_BIN)}, "serve", "flow", "--port", port], {
  env: { ...process.env, MARG_ROOT: ${JSON.stringify(root)} },
  detached: true,
  stdio: ["ignore", log, log],
});
writeFileSync(pidFile, String(child.pid));
child.unref();
for (let i = 0; i < 900; i++) {
  try {
    if ((await fetch("http://127.0.0.1:" + port + "/health")).status === 200) {
      console.log("started " + name + " version " + process.env.MARG_VERSION + " on " + port);
      process.exit(0);
    }
  } catch {}
  await sleep(100);
}
console.error("new process did not become healthy");
process.exit(1);
`;

const restartScript = path.join(root, "restart.mjs");
const restartCommand = (version: string) => `MARG_VERSION=${version} node ${restartScript} {server} {port}`;

function haproxyConfig(): string {
  return [
    "global",
    `    stats socket ${socket} level admin`,
    "    maxconn 500",
    "defaults",
    "    mode http",
    "    timeout connect 2s",
    "    timeout client 30s",
    "    timeout server 30s",
    // No `option redispatch` (production has it): a request sent to a stopped server
    // then fails visibly instead of being retried on another, so only the drain keeps the count at 0.
    "    retries 0",
    "frontend marg",
    `    bind 127.0.0.1:${lbPort}`,
    `    default_backend ${BACKEND}`,
    `backend ${BACKEND}`,
    "    balance roundrobin",
    "    option httpchk GET /health",
    "    http-check expect status 200",
    "    default-server inter 400ms fall 2 rise 2",
    ...SERVERS.map((name) => `    server ${name} 127.0.0.1:${ports.get(name)} check`),
    "",
  ].join("\n");
}

/** Runs `marg deploy:rolling` in-process (the command as registered in program.ts). */
async function margRolling(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const ctx = createCliContext({
    root,
    env: process.env,
    output: (json) =>
      createOutput({
        json,
        stdout: {
          write: (text: string) => {
            stdout += text;
            return true;
          },
        } as NodeJS.WritableStream,
        stderr: {
          write: (text: string) => {
            stderr += text;
            return true;
          },
        } as NodeJS.WritableStream,
      }),
  });
  const program = new Command("marg").exitOverride();
  registerDeployRolling(program, ctx);
  await program.parseAsync(["node", "marg", "deploy:rolling", ...args]);
  return { code: ctx.exitCode, stdout, stderr };
}

async function versionOf(port: number): Promise<string | null> {
  return (await fetch(`http://127.0.0.1:${port}/health/live`)).headers.get("x-marg-version");
}

async function waitAllUp(): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const stats = await Promise.all(
      SERVERS.map((name) => runtime.stat(BACKEND, name).catch(() => undefined)),
    );
    if (stats.every((stat) => stat?.status === "UP")) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("HAProxy did not see every server UP");
}

/** Keep-alive GETs through HAProxy from a few loops until stopped (or a hard cap), counting every outcome. */
function startLoad(concurrency: number, capMs: number) {
  const result = { served: 0, failed: 0, errors: [] as string[], versions: new Map<string, number>() };
  let running = true;
  const cap = setTimeout(() => {
    running = false;
  }, capMs);
  const paths = ["/health/live", "/health", "/login"];
  const loops = Array.from({ length: concurrency }, async (_, loop) => {
    for (let n = 0; running; n += 1) {
      const url = `http://127.0.0.1:${lbPort}${paths[(n + loop) % paths.length]}`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 400) {
          result.served += 1;
          const version = response.headers.get("x-marg-version") ?? "none";
          result.versions.set(version, (result.versions.get(version) ?? 0) + 1);
        } else {
          result.failed += 1;
          result.errors.push(`${url}: HTTP ${response.status}`);
        }
      } catch (error) {
        result.failed += 1;
        result.errors.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  return {
    result,
    async stop() {
      running = false;
      clearTimeout(cap);
      await Promise.all(loops);
      return result;
    },
  };
}

function runRestart(name: string, version: string): Promise<void> {
  const run = startProcess("sh", [
    "-c",
    restartCommand(version)
      .replace("{server}", name)
      .replace("{port}", String(ports.get(name))),
  ]);
  return new Promise((resolve, reject) => {
    run.child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(run.output()))));
  });
}

beforeAll(async () => {
  installation.writeSharedEnv({
    APP_KEY: generateAppKey(),
    MARG_APPS: "flow",
    LOG_LEVEL: "warn",
    MAIL_MAILER: "log",
  });
  installation.writeAppEnv("flow", { APP_URL: "http://flow.marg.test" });
  await installation.run(["migrate"]);
  writeFileSync(restartScript, RESTART_SCRIPT);
  lbPort = await freePort();
  for (const name of SERVERS) ports.set(name, await freePort());
  await Promise.all(SERVERS.map((name) => runRestart(name, "v1")));
  writeFileSync(path.join(root, "haproxy.cfg"), haproxyConfig());
  haproxy = startProcess("haproxy", ["-db", "-f", path.join(root, "haproxy.cfg")]);
  await waitAllUp();
}, 240_000);

afterAll(async () => {
  await haproxy?.stop(5_000);
  for (const name of SERVERS) {
    try {
      const pid = Number(readFileSync(path.join(root, `${name}.pid`), "utf8"));
      process.kill(pid, "SIGTERM");
    } catch {
      // never started, or already gone
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  installation.remove();
});

describe("marg deploy:rolling behind HAProxy", () => {
  it("restarts every process under load without a single failed request, ending on the new version", async () => {
    for (const name of SERVERS) expect(await versionOf(ports.get(name) ?? 0)).toBe("v1");
    const load = startLoad(6, 240_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const run = await margRolling([
      "--lb-socket",
      socket,
      "--backend",
      BACKEND,
      "--servers",
      SERVERS.join(","),
      "--command",
      restartCommand("v2"),
      "--drain-timeout",
      "30",
      "--health-timeout",
      "90",
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const result = await load.stop();
    // The closing note of the issue quotes this line.
    console.log(
      `rolling deploy under load: ${result.served} requests served, ${result.failed} failed; versions seen ${JSON.stringify(Object.fromEntries(result.versions))}`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("[3/3] app3: ready and UP in HAProxy");
    expect(result.errors.slice(0, 5)).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.served).toBeGreaterThan(100);
    expect(result.versions.get("v1")).toBeGreaterThan(0);
    expect(result.versions.get("v2")).toBeGreaterThan(0);
    for (const name of SERVERS) expect(await versionOf(ports.get(name) ?? 0)).toBe("v2");
    const stats = await Promise.all(SERVERS.map((name) => runtime.stat(BACKEND, name)));
    expect(stats.map((stat) => stat.status)).toEqual(["UP", "UP", "UP"]);
  }, 300_000);

  it("stops at the first failing server: it stays drained, the ones after it are untouched", async () => {
    const failOnApp2 = `[ {server} != app2 ] && ${restartCommand("v3")}`;
    const run = await margRolling([
      "--lb-socket",
      socket,
      "--backend",
      BACKEND,
      "--servers",
      SERVERS.join(","),
      "--command",
      failOnApp2,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The deploy command failed for app2");
    expect(await versionOf(ports.get("app1") ?? 0)).toBe("v3");
    expect(await versionOf(ports.get("app2") ?? 0)).toBe("v2");
    expect(await versionOf(ports.get("app3") ?? 0)).toBe("v2");
    expect((await runtime.stat(BACKEND, "app2")).status).toBe("DRAIN");
    expect((await runtime.stat(BACKEND, "app3")).status).toBe("UP");
    expect(run.stderr).not.toContain("app3: drain");
    await runtime.setState(BACKEND, "app2", "ready");
  }, 200_000);

  it("checks every server name before draining any", async () => {
    const run = await margRolling([
      "--lb-socket",
      socket,
      "--backend",
      BACKEND,
      "--servers",
      "app1,nope",
      "--command",
      "true",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("HAProxy has no server marg_flow/nope");
    expect((await runtime.stat(BACKEND, "app1")).status).toBe("UP");
  });
});
