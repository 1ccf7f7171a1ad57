import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { REPO_ROOT } from "../../test/support/spawn-process.js";
import { probe } from "./http-probe.js";
import { peakResidentBytes, residentBytes } from "./process-stats.js";

/** A server under test, running as its own process with its output in a log file. */
export interface ServerProcess {
  readonly name: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  residentBytes(): number | null;
  peakResidentBytes(): number | null;
  /** SIGTERM, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartServerOptions {
  readonly name: string;
  /** Command line of the server, e.g. ["node", "--import", "tsx", "bench/peers/bare/server.ts"]. */
  readonly command: readonly string[];
  /** Put before the command, e.g. ["taskset", "-c", "0"] (taskset execs, so the pid stays the server's). */
  readonly prefix?: readonly string[];
  readonly port: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Where stdout and stderr go: a file, as production logs go to a file or journald (never kept in memory here). */
  readonly logFile: string;
  /** Path answered once the server is ready (any HTTP status counts). Default "/". */
  readonly readyPath?: string;
  readonly readyHost?: string;
  readonly timeoutMs?: number;
}

/** Starts a server and resolves once it answers HTTP on 127.0.0.1:port. */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const [command = "node", ...args] = [...(options.prefix ?? []), ...options.command];
  const log = openSync(options.logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...options.env, PORT: String(options.port) },
      stdio: ["ignore", log, log],
      detached: true,
    });
  } finally {
    closeSync(log);
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid;
  const tail = () => readFileSync(options.logFile, "utf8").slice(-3000);
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const signal = (name: NodeJS.Signals) => {
      try {
        if (pid !== undefined) process.kill(-pid, name);
      } catch {
        // Already gone.
      }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  if (pid === undefined) throw new Error(`${options.name}: could not start ${command}`);
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${options.name} exited with ${child.exitCode} before answering:\n${tail()}`);
    if (await answers(options.port, options.readyPath ?? "/", options.readyHost)) break;
    if (Date.now() > deadline) {
      await stop(1000);
      throw new Error(`${options.name} did not answer on port ${options.port} in time:\n${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name: options.name,
    port: options.port,
    pid,
    logFile: options.logFile,
    residentBytes: () => residentBytes(pid),
    peakResidentBytes: () => peakResidentBytes(pid),
    stop,
  };
}

/** True once the server answers HTTP at all (any status). */
function answers(port: number, path: string, host: string | undefined): Promise<boolean> {
  return probe(port, { host: host ?? `127.0.0.1:${port}`, path, timeoutMs: 2000 }).then(
    () => true,
    () => false,
  );
}
