import { type ChildProcess, spawn, spawnSync } from "node:child_process";

export interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for assertion messages. */
  readonly output: string;
}

/** Runs a command to completion (at most `timeoutMs`) and returns what it printed. */
export function runTool(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): ToolResult {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    input: options.input,
    env: options.env ?? process.env,
    cwd: options.cwd,
    timeout: options.timeoutMs ?? 20_000,
  });
  const stdout = result.stdout ?? "";
  const stderr = result.stderr ?? (result.error === undefined ? "" : String(result.error));
  return { status: result.status, stdout, stderr, output: `${stdout}${stderr}` };
}

/** True when `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return runTool("sh", ["-c", `command -v ${command}`]).status === 0;
}

/** A long-running server started for a test; `stop()` ends it (SIGTERM, then SIGKILL). */
export interface BackgroundProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export function startBackground(command: string, args: readonly string[]): BackgroundProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` until it returns true (or throws after `timeoutMs`, naming `what`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** runTool without blocking the event loop, so slow tools (mariadb-install-db) can run side by side. */
export function runToolAsync(
  command: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", (error) =>
      resolve({ status: null, stdout, stderr: String(error), output: String(error) }),
    );
    child.once("close", (status) => resolve({ status, stdout, stderr, output: `${stdout}${stderr}` }));
  });
}
