import { type Fleet, hasRole } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import {
  MYSQL_BACKUP_DEFAULTS,
  MYSQL_BACKUP_SCRIPT,
  mysqlBackupDefaults,
  mysqlBackupScript,
  REDIS_BACKUP_SCRIPT,
  redisBackupScript,
} from "./backup-scripts.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const BACKUP_CRON = "/etc/cron.d/marg-backups";

/** Dumps run on the last replica when there is one, so the primary never pays for them. */
export function mysqlBackupServer(fleet: Fleet): InventoryServer {
  return fleet.mysql.replicas.at(-1) ?? fleet.mysql.primary;
}

function cronFile(fleet: Fleet, entries: string[]): string {
  return lines(
    header(fleet, "Backups. cron.d format: minute hour day month weekday user command."),
    "SHELL=/bin/bash",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    entries,
  );
}

/** The backup scripts, their credentials and /etc/cron.d/marg-backups on the servers that hold data. */
export function renderBackups({ fleet, secrets }: RenderInput): RenderedFile[] {
  const { backups } = fleet.inventory;
  const mysqlServer = mysqlBackupServer(fleet);
  const files: RenderedFile[] = [];
  for (const server of fleet.servers) {
    const entries: string[] = [];
    if (server.name === mysqlServer.name) {
      files.push(serverFile(server, MYSQL_BACKUP_SCRIPT, mysqlBackupScript(fleet), MODE.script));
      const defaults = mysqlBackupDefaults(fleet, secrets.DB_BACKUP_PASSWORD);
      files.push(serverFile(server, MYSQL_BACKUP_DEFAULTS, defaults, MODE.secret));
      entries.push(`${backups.mysqlSchedule} root ${MYSQL_BACKUP_SCRIPT} >> /var/log/marg-backup.log 2>&1`);
    }
    // Every sessions + queues node keeps its own copy: after a Sentinel failover
    // the backups go on without anyone editing a crontab.
    if (hasRole(server, "redis")) {
      files.push(serverFile(server, REDIS_BACKUP_SCRIPT, redisBackupScript(fleet), MODE.script));
      entries.push(`${backups.redisSchedule} root ${REDIS_BACKUP_SCRIPT} >> /var/log/marg-backup.log 2>&1`);
    }
    if (entries.length > 0)
      files.push(serverFile(server, BACKUP_CRON, cronFile(fleet, entries), MODE.config));
  }
  return files;
}
