import type { Fleet } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { type MargProcess, margCommand, margProcesses } from "./marg-processes.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const SYSTEMD_DIR = "/etc/systemd/system";

/** Unit file name: marg-flow.service, or the template marg-worker@.service for workers. */
export function unitFileName(process: MargProcess): string {
  return process.count > 1 || process.kind === "worker"
    ? `${process.name}@.service`
    : `${process.name}.service`;
}

/** The unit names to enable: marg-flow.service, marg-worker@1.service … */
export function unitInstances(process: MargProcess): string[] {
  const file = unitFileName(process);
  if (!file.includes("@")) return [file];
  return Array.from({ length: process.count }, (_, index) => file.replace("@", `@${index + 1}`));
}

function unit(fleet: Fleet, process: MargProcess): string {
  const { install } = fleet.inventory;
  const template = unitFileName(process).includes("@");
  return lines(
    header(fleet, `systemd unit: ${process.description}.`),
    "",
    "[Unit]",
    `Description=${process.description}${template ? ", #%i" : ""}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "PartOf=marg.target",
    "",
    "[Service]",
    "Type=simple",
    `User=${install.user}`,
    `Group=${install.user}`,
    `WorkingDirectory=${install.root}`,
    ...Object.entries(process.environment).map(([name, value]) => `Environment=${name}=${value}`),
    ...(process.indexVariable === undefined ? [] : [`Environment=${process.indexVariable}=%i`]),
    `ExecStart=${margCommand(fleet)} ${process.args.join(" ")}`,
    "# SIGTERM to the main process lets it finish its request or job; whatever is",
    "# left gets SIGKILL after TimeoutStopSec.",
    "KillSignal=SIGTERM",
    "KillMode=mixed",
    `TimeoutStopSec=${process.stopWaitSeconds}`,
    "Restart=always",
    "RestartSec=2",
    "NoNewPrivileges=true",
    "PrivateTmp=true",
    "ProtectHome=true",
    "ProtectSystem=strict",
    `ReadWritePaths=${install.root}/storage`,
    `SyslogIdentifier=${process.name}`,
    "",
    "[Install]",
    "WantedBy=marg.target",
  );
}

function target(fleet: Fleet, server: InventoryServer, processes: MargProcess[]): string {
  const wants = processes.flatMap(unitInstances);
  return lines(
    header(fleet, `Every MARG process on ${server.name}: systemctl restart marg.target restarts them all.`),
    "",
    "[Unit]",
    "Description=MARG apps and workers",
    `Wants=${wants.join(" ")}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  );
}

/** One unit per app, a worker template, and marg.target, on app and worker servers (processManager: systemd). */
export function renderSystemdUnits({ fleet }: RenderInput): RenderedFile[] {
  if (fleet.inventory.install.processManager !== "systemd") return [];
  return fleet.servers.flatMap((server) => {
    const processes = margProcesses(fleet, server);
    if (processes.length === 0) return [];
    return [
      ...processes.map((process) =>
        serverFile(server, `${SYSTEMD_DIR}/${unitFileName(process)}`, unit(fleet, process), MODE.config),
      ),
      serverFile(server, `${SYSTEMD_DIR}/marg.target`, target(fleet, server, processes), MODE.config),
    ];
  });
}
