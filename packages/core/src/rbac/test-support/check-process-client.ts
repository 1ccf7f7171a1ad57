import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import type { CheckTarget } from "./rbac-check-process.js";

export interface CheckAnswer {
  readonly allowed: boolean;
  /** RBAC database statements the process has sent so far. */
  readonly queries: number;
}

/** The test's handle on a second server process running rbac-check-process.ts. */
export interface CheckProcess {
  /** Asks the process's server for `target` (opened on first use) whether the user may. */
  can(target: CheckTarget, userId: number, permission: string): Promise<CheckAnswer>;
  stop(): Promise<void>;
}

export async function startCheckProcess(): Promise<CheckProcess> {
  const script = path.join(import.meta.dirname, "rbac-check-process.ts");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const pending = new Map<number, { resolve(answer: CheckAnswer): void; reject(error: Error): void }>();
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  lines.on("line", (line) => {
    const message = JSON.parse(line) as {
      ready?: boolean;
      id?: number;
      allowed?: boolean;
      queries?: number;
      error?: string;
    };
    if (message.ready) return ready();
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiting?.reject(new Error(`the check process failed: ${message.error}`));
    else waiting?.resolve({ allowed: message.allowed === true, queries: message.queries ?? -1 });
  });
  const exited = once(child, "exit").then(() => {
    throw new Error("the check process exited before it was ready");
  });
  await Promise.race([started, exited]);
  let nextId = 1;
  return {
    can(target, userId, permission) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.stdin?.write(`${JSON.stringify({ id, target, userId, permission })}\n`);
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const done = once(child, "exit");
      child.stdin?.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
    },
  };
}
