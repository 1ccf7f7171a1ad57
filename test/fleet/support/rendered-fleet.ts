/**
 * Runs what `marg infra:render` produced for a loopback inventory: Redis and
 * the cache Redis from their rendered .conf files, the rendered SQL applied to
 * this machine's MariaDB, the rendered .env files installed where install.sh
 * puts them, supervisord over the rendered conf.d/marg.conf (real `marg serve`
 * and `marg work`), nginx over the rendered sites and HAProxy over the
 * rendered haproxy.cfg. The only files written here are what a Debian package
 * brings (supervisord.conf, nginx.conf), each including the rendered ones.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HaproxyRuntime } from "@marg/deploy";
import { waitFor } from "@marg/deploy/testing";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "../../support/spawn-process.js";
import { FLEET_APPS, type LoopbackInventory } from "./loopback-inventory.js";

export interface ToolRun {
  readonly code: number;
  readonly output: string;
}

/** Runs a command to completion without blocking the event loop. */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 120_000,
        cwd: options.cwd ?? REPO_ROOT,
        maxBuffer: 20 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** What the operator's shell has: no MARG or DB variables from the test runner leak in. */
export function operatorEnv(root: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(MARG_|DB_|REDIS_|APP_|VITEST|NODE_ENV)/.test(name)),
  );
  return { ...clean, MARG_ROOT: root, NO_COLOR: "1", FORCE_COLOR: "0" };
}

/** `marg <args>` as the operator runs it on a server (MARG_ROOT = the install root). */
export async function marg(root: string, args: readonly string[]): Promise<ToolRun> {
  return run(process.execPath, [MARG_BIN, ...args], { env: operatorEnv(root), timeoutMs: 240_000 });
}

export interface RenderedFleet {
  readonly inventory: LoopbackInventory;
  /** The render's output folder: `<out>/<server>/<absolute path>`. */
  readonly out: string;
  readonly runtime: HaproxyRuntime;
  /** `supervisorctl -s unix://<the server's socket> <args>`. */
  supervisorctl(server: string, args: readonly string[]): Promise<ToolRun>;
  /** Program name → pid, from `supervisorctl status` (RUNNING ones). */
  pids(server: string): Promise<Map<string, number>>;
  /** Everything the long-running processes printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

const MARG_SERVERS = ["http-1", "http-2"] as const;

/** Debian's /etc/supervisor/supervisord.conf, with the inventory's socket, including the rendered programs. */
function supervisordConf(dir: string, inventory: LoopbackInventory, out: string, server: string): string {
  const file = path.join(dir, `${server}-supervisord.conf`);
  const socket = inventory.supervisorSocket(server);
  mkdirSync(inventory.logDir(server), { recursive: true });
  writeFileSync(
    file,
    [
      "[unix_http_server]",
      `file=${socket}`,
      "chmod=0700",
      "[supervisord]",
      `logfile=${inventory.logDir(server)}/supervisord.log`,
      `pidfile=${dir}/${server}-supervisord.pid`,
      `childlogdir=${inventory.logDir(server)}`,
      "[rpcinterface:supervisor]",
      "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
      "[supervisorctl]",
      `serverurl=unix://${socket}`,
      "[include]",
      `files = ${path.join(out, server, "etc/supervisor/conf.d")}/*.conf`,
      "",
    ].join("\n"),
  );
  return file;
}

/** Debian's /etc/nginx/nginx.conf in miniature: includes the rendered sites of one server. */
function nginxConf(dir: string, out: string, server: string): string {
  const prefix = path.join(dir, `nginx-${server}`);
  mkdirSync(prefix, { recursive: true });
  const file = path.join(prefix, "nginx.conf");
  writeFileSync(
    file,
    [
      "user root;",
      "worker_processes 1;",
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/error.log warn;`,
      "events { worker_connections 512; }",
      "http {",
      `    access_log ${prefix}/access.log;`,
      `    client_body_temp_path ${prefix}/body;`,
      `    proxy_temp_path ${prefix}/proxy;`,
      `    include ${path.join(out, server, "etc/nginx/sites-available")}/*.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

/** Copies what install.sh installs under the install root (the .env files) to its place. */
function installEnvFiles(inventory: LoopbackInventory, out: string): void {
  const rendered = path.join(out, "http-1", inventory.installRoot);
  cpSync(rendered, inventory.installRoot, { recursive: true });
  const shared = (server: string) =>
    readFileSync(path.join(out, server, inventory.installRoot, ".env.shared"), "utf8");
  if (shared("http-1") !== shared("http-2")) throw new Error(".env.shared differs between servers");
}

async function redisUp(port: number, password: string): Promise<boolean> {
  const ping = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "PING"], {
    env: { ...process.env, REDISCLI_AUTH: password },
    timeoutMs: 5_000,
  });
  return ping.output.trim() === "PONG";
}

/** Renders the inventory with the real CLI and starts every rendered service. */
export async function startRenderedFleet(dir: string, inventory: LoopbackInventory): Promise<RenderedFleet> {
  const out = path.join(dir, "out");
  const processes: { name: string; process: RunningProcess }[] = [];
  const start = (name: string, command: string, args: readonly string[]) => {
    const process = startProcess(command, args, { cwd: dir });
    processes.push({ name, process });
    return process;
  };
  const runtime = new HaproxyRuntime(inventory.lb.socket);
  const stop = async () => {
    for (const { process } of [...processes].reverse()) await process.stop(30_000);
  };
  try {
    const rendered = await marg(dir, ["infra:render", "--inventory", inventory.file, "--out", out]);
    if (rendered.code !== 0) throw new Error(`marg infra:render failed:\n${rendered.output}`);
    const secrets = Object.fromEntries(
      readFileSync(path.join(out, "secrets.env"), "utf8")
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const redisData = inventory.data.redis as { port: number; cache: { port: number }; runDir: string };
    // What the redis-server package creates: the pid-file folders.
    for (const folder of ["redis", "redis-cache"])
      mkdirSync(path.join(redisData.runDir, folder), { recursive: true });
    start("redis", "redis-server", [path.join(out, "data-1/etc/redis/redis.conf")]);
    start("redis-cache", "redis-server", [path.join(out, "data-1/etc/redis/redis-cache.conf")]);
    const sql = readFileSync(path.join(out, "data-1/root/marg-sql/01-databases-and-users.sql"), "utf8");
    const applied = await run("mariadb", ["--protocol=tcp", "-h", "127.0.0.1", "-u", "root"], { input: sql });
    if (applied.code !== 0) throw new Error(`the rendered SQL failed:\n${applied.output}`);
    await waitFor("Redis", () => redisUp(redisData.port, secrets.REDIS_PASSWORD ?? ""), 30_000);
    await waitFor(
      "the cache Redis",
      () => redisUp(redisData.cache.port, secrets.CACHE_REDIS_PASSWORD ?? ""),
      30_000,
    );
    installEnvFiles(inventory, out);
    for (const step of [
      ["migrate", "--force"],
      ["db:seed", "--force"],
    ]) {
      const done = await marg(inventory.installRoot, step);
      if (done.code !== 0) throw new Error(`marg ${step.join(" ")} failed:\n${done.output}`);
    }
    for (const server of MARG_SERVERS)
      start(`supervisord ${server}`, "supervisord", [
        "-n",
        "-c",
        supervisordConf(dir, inventory, out, server),
      ]);
    for (const server of MARG_SERVERS)
      start(`nginx ${server}`, "nginx", [
        "-p",
        `${dir}/`,
        "-c",
        nginxConf(dir, out, server),
        "-g",
        "daemon off;",
      ]);
    start("haproxy", "haproxy", ["-db", "-f", path.join(out, "lb-1/etc/haproxy/haproxy.cfg")]);
    // Up when HAProxy's own health checks (through nginx, to each app's /health) pass everywhere.
    await waitFor(
      "every app UP in HAProxy on both http servers",
      async () => {
        const stats = await Promise.all(
          FLEET_APPS.flatMap((app) => MARG_SERVERS.map((server) => runtime.stat(`app_${app}`, server))),
        );
        return stats.every((stat) => stat.status === "UP");
      },
      180_000,
    );
  } catch (error) {
    const logs = processes
      .map(({ name, process }) => `--- ${name}\n${process.output().slice(-2000)}`)
      .join("\n");
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}\n${supervisorLogs(inventory)}`);
  }
  return fleetHandle(
    inventory,
    out,
    () => processes.map(({ name, process }) => ({ name, output: process.output() })),
    stop,
  );
}

/**
 * The fleet another process started in `dir` (the shared fleet's globalSetup): the same
 * handle, without the long-running processes' own output (their logs under logDir are there).
 */
export function attachRenderedFleet(dir: string, inventory: LoopbackInventory): RenderedFleet {
  return fleetHandle(
    inventory,
    path.join(dir, "out"),
    () => [],
    async () => {},
  );
}

function fleetHandle(
  inventory: LoopbackInventory,
  out: string,
  outputs: () => { name: string; output: string }[],
  stop: () => Promise<void>,
): RenderedFleet {
  const supervisorctl = (server: string, args: readonly string[]) =>
    run("supervisorctl", ["-s", `unix://${inventory.supervisorSocket(server)}`, ...args], {
      timeoutMs: 120_000,
    });
  return {
    inventory,
    out,
    runtime: new HaproxyRuntime(inventory.lb.socket),
    supervisorctl,
    async pids(server) {
      const status = await supervisorctl(server, ["status"]);
      const pids = new Map<string, number>();
      for (const line of status.output.split("\n")) {
        const match = /^(\S+)\s+RUNNING\s+pid (\d+)/.exec(line);
        if (match?.[1] !== undefined) pids.set(match[1], Number(match[2]));
      }
      return pids;
    },
    logs: () =>
      `${outputs()
        .map(({ name, output }) => `--- ${name}\n${output.slice(-2000)}`)
        .join("\n")}\n${supervisorLogs(inventory)}`,
    stop,
  };
}

/** The tail of every program's log under the inventory's logDir. */
function supervisorLogs(inventory: LoopbackInventory): string {
  const parts: string[] = [];
  for (const server of MARG_SERVERS) {
    for (const name of [...FLEET_APPS.map((app) => `marg-${app}`), "marg-worker-00", "supervisord"]) {
      const file = path.join(inventory.logDir(server), `${name}.log`);
      if (existsSync(file))
        parts.push(`--- ${server} ${name}.log\n${readFileSync(file, "utf8").slice(-1500)}`);
    }
  }
  return parts.join("\n");
}
