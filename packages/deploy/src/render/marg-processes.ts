import {
  appProcessName,
  PROCESS_TARGETS,
  type ProcessManagerName,
  WORKER_PROCESS,
} from "@marg/core/platform";
import {
  codeDir,
  type Fleet,
  hasRole,
  listenAddress,
  monitoringServer,
  workerProcesses,
  workerQueues,
} from "../fleet/fleet.js";
import type { InventoryApp, InventoryServer } from "../inventory/inventory-schema.js";

/**
 * The MARG processes a server runs, as both process managers see them: one
 * `marg serve <app>` per app on http servers, `marg work` workers on worker
 * servers. The supervisor and systemd renderers only differ in spelling; the
 * names come from core (PROCESS_TARGETS), which `marg deploy` and `marg doctor`
 * use too.
 */
export interface MargProcess {
  /** Program/unit name: marg-flow, marg-worker. */
  readonly name: string;
  readonly kind: "app" | "worker";
  /** The app it serves (apps only). */
  readonly app?: string;
  readonly description: string;
  /** Arguments after `node …/marg-compiled.js`. */
  readonly args: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  /** How many copies (workers only; each app runs once per server). */
  readonly count: number;
  /** Seconds a stop waits for a graceful exit before SIGKILL. */
  readonly stopWaitSeconds: number;
  /**
   * An environment variable that gets each copy's number from the process manager
   * (supervisor's %(process_num)d, systemd's %i): WORKER_INDEX, so each worker's
   * /metrics has its own port. See {@link workerMetricsPorts}.
   */
  readonly indexVariable?: string;
}

/**
 * The ports the workers of `server` serve /metrics on: WORKER_METRICS_PORT plus
 * each worker's number, which supervisor counts from 0 and systemd's template
 * instances (marg-worker@1 …) from 1. Prometheus' targets and ufw come from here.
 */
export function workerMetricsPorts(fleet: Fleet, server: InventoryServer): number[] {
  const first = fleet.inventory.install.processManager === "supervisor" ? 0 : 1;
  const base = fleet.inventory.monitoring.workerMetricsPort;
  return Array.from({ length: workerProcesses(fleet, server) }, (_, index) => base + first + index);
}

/**
 * The port `app` serves its own /metrics on, on every http server: the inventory's
 * monitoring.appMetricsPort plus the app's place in `apps`. Prometheus' targets,
 * ufw and the process's APP_METRICS_PORT come from here.
 */
export function appMetricsPort(fleet: Fleet, app: InventoryApp): number {
  return fleet.inventory.monitoring.appMetricsPort + fleet.apps.findIndex((each) => each.name === app.name);
}

/** The launcher a server runs: the compiled code (each package's dist/), never TypeScript through tsx. */
export const COMPILED_LAUNCHER = "packages/cli/bin/marg-compiled.js";

/** `/usr/bin/node /srv/marg/packages/cli/bin/marg-compiled.js`. */
export function margCommand(fleet: Fleet): string {
  return `${fleet.inventory.install.node} ${codeDir(fleet)}/${COMPILED_LAUNCHER}`;
}

function baseEnvironment(fleet: Fleet): Record<string, string> {
  return { NODE_ENV: "production", MARG_ROOT: fleet.inventory.install.root };
}

function appProcess(fleet: Fleet, server: InventoryServer, app: InventoryApp): MargProcess {
  const host = listenAddress(fleet, server);
  return {
    name: appProcessName(app.name),
    kind: "app",
    app: app.name,
    description: `MARG ${app.name} (marg serve ${app.name} on port ${app.port})`,
    args: ["serve", app.name],
    // HOST here beats .env.shared's 127.0.0.1, which must stay the same on every server.
    environment: {
      ...baseEnvironment(fleet),
      PORT: String(app.port),
      ...(host === undefined ? {} : { HOST: host }),
      // The app itself stays on loopback behind nginx; its /metrics listener is what
      // Prometheus scrapes, on the private address when Prometheus runs elsewhere.
      APP_METRICS_PORT: String(appMetricsPort(fleet, app)),
      ...(monitoringServer(fleet).name === server.name ? {} : { APP_METRICS_HOST: server.address }),
    },
    count: 1,
    // SHUTDOWN_TIMEOUT for in-flight requests, plus time to close pools.
    stopWaitSeconds: fleet.inventory.install.shutdownTimeout + 10,
  };
}

function workerProcess(fleet: Fleet, server: InventoryServer): MargProcess {
  const { workers } = fleet.inventory;
  const queues = workerQueues(fleet, server);
  return {
    name: WORKER_PROCESS,
    kind: "worker",
    description: `MARG queue worker (${queues.join(", ")})`,
    // The seed's supervisor line, with MARG's command.
    args: [
      "work",
      `--queue=${queues.join(",")}`,
      `--sleep=${workers.sleep}`,
      `--tries=${workers.tries}`,
      `--max-time=${workers.maxTime}`,
    ],
    environment: {
      ...baseEnvironment(fleet),
      // A Prometheus on another server reaches the worker's /metrics on the private address.
      ...(monitoringServer(fleet).name === server.name ? {} : { WORKER_METRICS_HOST: server.address }),
    },
    indexVariable: "WORKER_INDEX",
    count: workerProcesses(fleet, server),
    // A stop lets the running job finish (the seed waits an hour, its longest job).
    stopWaitSeconds: workers.stopWaitSeconds,
  };
}

/** Everything MARG runs on `server`; empty for servers with neither http nor worker. */
export function margProcesses(fleet: Fleet, server: InventoryServer): MargProcess[] {
  const out: MargProcess[] = [];
  if (hasRole(server, "http")) out.push(...fleet.apps.map((app) => appProcess(fleet, server, app)));
  if (hasRole(server, "worker")) out.push(workerProcess(fleet, server));
  return out;
}

/** What `supervisorctl` / `systemctl` is handed to restart this process (core's PROCESS_TARGETS). */
export function processTarget(manager: ProcessManagerName, process: MargProcess): string {
  const targets = PROCESS_TARGETS[manager];
  return process.app === undefined ? targets.workers : targets.app(process.app);
}
