/**
 * Several `marg serve` processes of one installation, each named by MARG_INSTANCE
 * (its X-Served-By header), on free loopback ports: a stand-in for the same app
 * on several http servers. Each can be killed with SIGKILL and started again on
 * its port, as a crashed server comes back.
 */
import { freePort } from "../free-port.js";
import type { MargInstallation } from "../marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../spawn-process.js";
import { waitForPort } from "../wait-for-port.js";

export interface AppProcess {
  /** MARG_INSTANCE, e.g. flow-2. */
  readonly name: string;
  readonly app: string;
  readonly port: number;
  process: RunningProcess;
}

export interface AppProcesses {
  readonly all: readonly AppProcess[];
  of(app: string): readonly AppProcess[];
  byName(name: string): AppProcess;
  /** kill -9: no drain, no goodbye, as a crashed machine. */
  kill(name: string): void;
  /** Starts it again on the same port; resolves once it listens. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

function start(installation: MargInstallation, entry: Omit<AppProcess, "process">): RunningProcess {
  return startProcess(
    "node",
    [MARG_BIN, "serve", entry.app, "--port", String(entry.port), "--host", "127.0.0.1"],
    {
      env: { MARG_ROOT: installation.root, MARG_INSTANCE: entry.name },
    },
  );
}

/** Starts `counts[app]` processes of each app (all in parallel) and waits until each listens. */
export async function startAppProcesses(
  installation: MargInstallation,
  counts: Readonly<Record<string, number>>,
): Promise<AppProcesses> {
  const all: AppProcess[] = [];
  for (const [app, count] of Object.entries(counts))
    for (let index = 1; index <= count; index++) {
      const entry = { name: `${app}-${index}`, app, port: await freePort() };
      all.push({ ...entry, process: start(installation, entry) });
    }
  const stop = () => Promise.all(all.map((entry) => entry.process.stop(3_000))).then(() => undefined);
  try {
    await Promise.all(all.map((entry) => waitForPort(entry.port, entry.process, 60_000)));
  } catch (error) {
    await stop();
    throw error;
  }
  const byName = (name: string) => {
    const found = all.find((entry) => entry.name === name);
    if (found === undefined) throw new Error(`no app process ${name}`);
    return found;
  };
  return {
    all,
    of: (app) => all.filter((entry) => entry.app === app),
    byName,
    kill(name) {
      const pid = byName(name).process.child.pid;
      if (pid !== undefined) process.kill(pid, "SIGKILL");
    },
    async restart(name) {
      const entry = byName(name);
      const { child } = entry.process;
      // Never orphan a live server: restarting one that still runs would leak it.
      if (child.exitCode === null && child.signalCode === null) throw new Error(`${name} is still running`);
      entry.process = start(installation, entry);
      await waitForPort(entry.port, entry.process, 60_000);
    },
    stop,
  };
}
