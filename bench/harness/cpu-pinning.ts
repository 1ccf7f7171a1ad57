import { execFileSync } from "node:child_process";
import os from "node:os";

/**
 * Where the bench runs what: the server under test on one core, the load
 * generator (this process) on another, as the issue asks, when the machine has
 * two cores or more and `taskset` (util-linux) is present. Elsewhere nothing is
 * pinned and the report says so.
 */
export interface CpuPlan {
  readonly pinned: boolean;
  /** Prefix for a server's command line, e.g. ["taskset", "-c", "0"], or [] when not pinned. */
  readonly serverPrefix: readonly string[];
  readonly serverCore: number | null;
  readonly loadCore: number | null;
  readonly note: string;
}

export function planCpus(): CpuPlan {
  const cores = os.availableParallelism();
  if (cores < 2 || !hasTaskset())
    return {
      pinned: false,
      serverPrefix: [],
      serverCore: null,
      loadCore: null,
      note: cores < 2 ? "one core: server and load share it" : "taskset not found: nothing pinned",
    };
  // This process (autocannon) moves to core 1; every server it starts runs on core 0.
  execFileSync("taskset", ["-a", "-p", "-c", "1", String(process.pid)], { stdio: "ignore" });
  return {
    pinned: true,
    serverPrefix: ["taskset", "-c", "0"],
    serverCore: 0,
    loadCore: 1,
    note: "server on core 0 (taskset), load generator on core 1",
  };
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
