// "start": `marg serve flow` from process start to its first 200, on compiled code (what
// production runs, bin/marg-compiled.js) and from source through tsx (bin/marg.js, what
// `npm start` runs), alternated round by round on the server core. Also the resident memory
// of each at that first 200, counting the esbuild child tsx keeps. Reads the bench
// installation (MARG_ROOT); writes one log per start under its log folder.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { MARG_COMPILED_BIN, withoutDevelopmentCondition } from "../../test/support/compiled-build.js";
import { freePort } from "../../test/support/free-port.js";
import { MARG_BIN, REPO_ROOT } from "../../test/support/spawn-process.js";
import { probe } from "../harness/http-probe.js";
import { cpuSeconds } from "../harness/process-cpu.js";
import { megabytes, residentBytes } from "../harness/process-stats.js";
import { type Spread, spread } from "../harness/stats.js";
import { FLOW_HOST } from "../targets/bench-installation.js";

export type StartupMode = "compiled" | "tsx";

export interface StartupFigures {
  /** Milliseconds from spawn to the first 200 of GET /login. */
  readonly firstOkMs: Spread;
  /**
   * CPU milliseconds (user + system, the process and its children) spent by then: what the
   * start costs whatever else the machine runs, where the wall time above waits its turn.
   */
  readonly cpuMs: Spread;
  /** MB resident at that first 200, the process and its children (tsx's esbuild). */
  readonly rssMb: Spread;
}

export type StartupResult = Readonly<Record<StartupMode, StartupFigures>>;

const LAUNCHERS: Record<StartupMode, string> = { compiled: MARG_COMPILED_BIN, tsx: MARG_BIN };

/** `pid` and every process under it. */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .split(" ")
      .filter(Boolean)
      .map(Number);
  } catch {
    // Gone, or not Linux: its own figure is all there is.
  }
  return [pid, ...children.flatMap(processTree)];
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  return exited.finally(() => clearTimeout(timer));
}

/** One start: spawn, poll every few ms until GET /login answers 200, measure, stop. */
async function startOnce(
  mode: StartupMode,
  options: { root: string; prefix: readonly string[]; logFile: string },
): Promise<{ ms: number; cpuMs: number; rssBytes: number }> {
  const port = await freePort();
  const [command = "node", ...args] = [
    ...options.prefix,
    process.execPath,
    LAUNCHERS[mode],
    "serve",
    "flow",
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
  ];
  // Compiled runs as production does: no `development` condition (npm run bench sets one).
  const base = mode === "compiled" ? withoutDevelopmentCondition(process.env) : process.env;
  const log = openSync(options.logFile, "a");
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...base, MARG_ROOT: options.root, NO_COLOR: "1" },
    stdio: ["ignore", log, log],
    detached: true,
  });
  closeSync(log);
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`marg serve flow (${mode}) exited with ${child.exitCode}`);
      const status = await probe(port, { host: FLOW_HOST, path: "/login", timeoutMs: 5000 }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      if (performance.now() - started > 60_000) throw new Error(`marg serve flow (${mode}): no 200 in 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const ms = performance.now() - started;
    const tree = child.pid === undefined ? [] : processTree(child.pid);
    return {
      ms,
      cpuMs: sum(tree.map((pid) => cpuSeconds(pid) ?? 0)) * 1000,
      rssBytes: sum(tree.map((pid) => residentBytes(pid) ?? 0)),
    };
  } finally {
    await stopGroup(child);
  }
}

/** `rounds` starts of each mode, alternated so load on the machine falls on both alike. */
export async function measureStartup(options: {
  root: string;
  logDir: string;
  prefix: readonly string[];
  rounds: number;
}): Promise<StartupResult> {
  const samples: Record<StartupMode, { ms: number[]; cpuMs: number[]; rss: number[] }> = {
    compiled: { ms: [], cpuMs: [], rss: [] },
    tsx: { ms: [], cpuMs: [], rss: [] },
  };
  // One start of each first, not counted: the first reads every file from disk.
  for (let round = -1; round < options.rounds; round++) {
    for (const mode of ["compiled", "tsx"] as const) {
      const start = await startOnce(mode, {
        root: options.root,
        prefix: options.prefix,
        logFile: path.join(options.logDir, `startup-${mode}.log`),
      });
      if (round < 0) continue;
      samples[mode].ms.push(Math.round(start.ms));
      samples[mode].cpuMs.push(Math.round(start.cpuMs));
      samples[mode].rss.push(megabytes(start.rssBytes) ?? 0);
    }
  }
  const figures = (mode: StartupMode): StartupFigures => ({
    firstOkMs: spread(samples[mode].ms),
    cpuMs: spread(samples[mode].cpuMs),
    rssMb: spread(samples[mode].rss),
  });
  return { compiled: figures("compiled"), tsx: figures("tsx") };
}
