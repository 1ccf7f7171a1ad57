import { type Fleet, pathFor } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { type MargProcess, margCommand, margProcesses, processTarget } from "./marg-processes.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const SUPERVISOR_CONF = "/etc/supervisor/conf.d/marg.conf";

/** `supervisorctl -s unix:///var/run/supervisor.sock`: the server's own supervisord, whatever the default. */
export function supervisorctlCommand(fleet: Fleet, server: InventoryServer): string {
  return `supervisorctl -s unix://${pathFor(fleet.inventory.install.supervisorSocket, server)}`;
}

function program(fleet: Fleet, server: InventoryServer, process: MargProcess): string[] {
  const { install } = fleet.inventory;
  const numbered = process.indexVariable === undefined ? {} : { [process.indexVariable]: "%(process_num)d" };
  const environment = Object.entries({ ...process.environment, ...numbered })
    .map(([name, value]) => `${name}="${value}"`)
    .join(",");
  // Workers are always numbered (marg-worker:marg-worker_00), whatever their count, so their names never change.
  const many = process.count > 1 || process.kind === "worker";
  return [
    `; ${process.description}`,
    `[program:${process.name}]`,
    ...(many ? ["process_name=%(program_name)s_%(process_num)02d"] : []),
    `command=${margCommand(fleet)} ${process.args.join(" ")}`,
    `directory=${install.root}`,
    `environment=${environment}`,
    `user=${install.user}`,
    `numprocs=${process.count}`,
    "autostart=true",
    "autorestart=true",
    `startsecs=${install.startSeconds}`,
    "; SIGTERM lets a request or job finish; SIGKILL only after stopwaitsecs.",
    "stopsignal=TERM",
    `stopwaitsecs=${process.stopWaitSeconds}`,
    "stopasgroup=true",
    "killasgroup=true",
    "redirect_stderr=true",
    `stdout_logfile=${pathFor(install.logDir, server)}/${process.name}${many ? "-%(process_num)02d" : ""}.log`,
    "stdout_logfile_maxbytes=50MB",
    "stdout_logfile_backups=5",
    "",
  ];
}

function supervisorConf(fleet: Fleet, server: InventoryServer, processes: MargProcess[]): string {
  return lines(
    header(fleet, `supervisor programs for ${server.name}, run as ${fleet.inventory.install.user}.`, ";"),
    `; ${supervisorctlCommand(fleet, server)} reread, then update, then status.`,
    "; Programs stand alone (no group section): `marg deploy` restarts",
    `; ${processes.map((process) => processTarget("supervisor", process)).join(", ")}.`,
    "",
    ...processes.map((process) => program(fleet, server, process)),
  );
}

/** /etc/supervisor/conf.d/marg.conf on app and worker servers (processManager: supervisor). */
export function renderSupervisor({ fleet }: RenderInput): RenderedFile[] {
  if (fleet.inventory.install.processManager !== "supervisor") return [];
  return fleet.servers.flatMap((server) => {
    const processes = margProcesses(fleet, server);
    if (processes.length === 0) return [];
    return [serverFile(server, SUPERVISOR_CONF, supervisorConf(fleet, server, processes), MODE.config)];
  });
}
