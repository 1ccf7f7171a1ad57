import type { Fleet } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { type MargProcess, margCommand, margProcesses } from "./marg-processes.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const SUPERVISOR_CONF = "/etc/supervisor/conf.d/marg.conf";

function program(fleet: Fleet, process: MargProcess): string[] {
  const { install } = fleet.inventory;
  const numbered = process.indexVariable === undefined ? {} : { [process.indexVariable]: "%(process_num)d" };
  const environment = Object.entries({ ...process.environment, ...numbered })
    .map(([name, value]) => `${name}="${value}"`)
    .join(",");
  const many = process.count > 1;
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
    "startsecs=5",
    "; SIGTERM lets a request or job finish; SIGKILL only after stopwaitsecs.",
    "stopsignal=TERM",
    `stopwaitsecs=${process.stopWaitSeconds}`,
    "stopasgroup=true",
    "killasgroup=true",
    "redirect_stderr=true",
    `stdout_logfile=${install.logDir}/${process.name}${many ? "-%(process_num)02d" : ""}.log`,
    "stdout_logfile_maxbytes=50MB",
    "stdout_logfile_backups=5",
    "",
  ];
}

function supervisorConf(fleet: Fleet, server: InventoryServer, processes: MargProcess[]): string {
  return lines(
    header(
      fleet,
      `supervisor programs for ${server.name}, run as ${fleet.inventory.install.user} (never root).`,
      ";",
    ),
    "; supervisorctl reread && supervisorctl update && supervisorctl status marg:*",
    "",
    ...processes.map((process) => program(fleet, process)),
    "[group:marg]",
    `programs=${processes.map((process) => process.name).join(",")}`,
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
