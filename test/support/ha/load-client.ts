/**
 * Starts load-generator.ts in a second process, so the load does not share the
 * test's event loop, and collects its summary when stopped.
 */
import path from "node:path";
import { type RunningProcess, startProcess } from "../spawn-process.js";
import type { LoadOptions, LoadSummary } from "./load-generator.js";

export type { LoadFailure, LoadOptions, LoadSummary } from "./load-generator.js";

export interface RunningLoad {
  /** Stops the load and returns what it counted. */
  finish(): Promise<LoadSummary>;
  /** Kills it without a summary (cleanup after a failure). */
  kill(): Promise<void>;
}

export async function startLoad(options: LoadOptions): Promise<RunningLoad> {
  const script = path.join(import.meta.dirname, "load-generator.ts");
  const child: RunningProcess = startProcess("node", ["--import", "tsx", script, JSON.stringify(options)]);
  try {
    await child.waitFor(/load started/, 30_000);
  } catch (error) {
    await child.stop(1_000);
    throw error;
  }
  return {
    async finish() {
      await child.stop();
      const line = child.output().trim().split("\n").at(-1) ?? "";
      try {
        return JSON.parse(line) as LoadSummary;
      } catch {
        throw new Error(`the load generator printed no summary:\n${child.output().slice(-2000)}`);
      }
    },
    async kill() {
      await child.stop(1_000);
    },
  };
}
