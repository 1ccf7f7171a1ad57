import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { REPO_ROOT } from "../../test/support/spawn-process.js";
import { withDeadline } from "../harness/deadline.js";
import type { WorkerCommand, WorkerEvent } from "../targets/worker-protocol.js";

/** Parent side of one bench worker process (see targets/worker-protocol.ts). */
export interface JobWorkerProcess {
  readonly pid: number;
  /** Where the worker's stdout (its log lines) goes. */
  readonly logFile: string;
  /** Makes it take jobs; resolves once it runs. */
  start(): Promise<void>;
  /** Stops it cleanly; resolves with the completed count it kept (null for bare BullMQ). */
  stop(): Promise<number | null>;
  /** Ends the process (cleanly, so a --cpu-prof profile is written), killing it if it does not go. */
  close(): Promise<void>;
}

export interface SpawnJobWorkerParams {
  /** Names the worker in every error message. */
  readonly target: string;
  /** The entry script, run with `node --import tsx`. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  /** Prefix of the command line, e.g. ["taskset", "-c", "0"] to pin it; [] for none. */
  readonly cpuPrefix: readonly string[];
  readonly logFile: string;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir", dir]. */
  readonly nodeFlags?: readonly string[];
}

const READY_MS = 90_000;
const COMMAND_MS = 60_000;

function tail(file: string, text: string): string {
  let log = "";
  try {
    log = readFileSync(file, "utf8").slice(-1500);
  } catch {
    // No log yet.
  }
  return `stderr: ${text.slice(-1500) || "(empty)"}\nlog (${file}): ${log || "(empty)"}`;
}

/** Starts one worker process (idle until `start()`), with an IPC channel for commands. */
export async function spawnJobWorker(params: SpawnJobWorkerParams): Promise<JobWorkerProcess> {
  const nodeArgs = [...(params.nodeFlags ?? []), "--import", "tsx", params.entry];
  const [program, ...args] = [...params.cpuPrefix, process.execPath, ...nodeArgs];
  const out = openSync(params.logFile, "a");
  const child: ChildProcess = spawn(program ?? process.execPath, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...params.env },
    stdio: ["ignore", out, "pipe", "ipc"],
  });
  closeSync(out);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  /** Resolves on the next event named `name`; rejects on a `failed` event or when the process exits. */
  function next(name: WorkerEvent["event"]): Promise<WorkerEvent> {
    return new Promise((resolve, reject) => {
      const onMessage = (event: WorkerEvent) => {
        if (event.event === "failed") {
          cleanup();
          reject(new Error(`${params.target} worker: ${event.message}\n${tail(params.logFile, stderr)}`));
        } else if (event.event === name) {
          cleanup();
          resolve(event);
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        reject(
          new Error(
            `${params.target} worker exited (code ${code}, signal ${signal}) while the bench waited for "${name}"\n${tail(params.logFile, stderr)}`,
          ),
        );
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
    });
  }

  async function request(cmd: WorkerCommand, reply: WorkerEvent["event"]): Promise<WorkerEvent> {
    const answer = next(reply);
    child.send(cmd);
    return withDeadline(`${params.target} worker: "${cmd.cmd}"`, COMMAND_MS, answer);
  }

  await withDeadline(`${params.target} worker start-up`, READY_MS, next("ready"));
  return {
    pid: child.pid ?? -1,
    logFile: params.logFile,
    async start() {
      await request({ cmd: "start" }, "started");
    },
    async stop() {
      const event = await request({ cmd: "stop" }, "stopped");
      return event.event === "stopped" ? event.completed : null;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ cmd: "exit" } satisfies WorkerCommand);
      const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
