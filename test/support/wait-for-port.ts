import { connect } from "node:net";
import type { RunningProcess } from "./spawn-process.js";

/**
 * Resolves when something accepts TCP connections on 127.0.0.1:port; rejects with
 * the process's output if it exits first or `timeoutMs` passes. For servers that
 * print nothing when ready (nginx with daemon off, an app at LOG_LEVEL=warn).
 */
export async function waitForPort(port: number, owner: RunningProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (owner.child.exitCode !== null)
      throw new Error(`exited with ${owner.child.exitCode} before listening on ${port}:\n${owner.output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms:\n${owner.output().slice(-3000)}`);
}
