import type { Fleet } from "../fleet/fleet.js";
import { REDIS_MAIN_CONF } from "./redis-conf-renderer.js";
import { header, lines, shellQuote } from "./text.js";

export const MYSQL_BACKUP_SCRIPT = "/usr/local/sbin/marg-mysql-backup";
export const REDIS_BACKUP_SCRIPT = "/usr/local/sbin/marg-redis-backup";
/** The backup user's credentials, so the password is never on a command line. */
export const MYSQL_BACKUP_DEFAULTS = "/etc/mysql/marg-backup.cnf";

/**
 * The seed's mysqldump, made safe: one consistent InnoDB snapshot
 * (--single-transaction) of MARG's databases with the least-privileged backup
 * user, written to a partial file first so a failed dump never looks complete.
 * The MARG_BACKUP_* variables exist for tests and unusual layouts.
 */
export function mysqlBackupScript(fleet: Fleet): string {
  const { backups, mysql } = fleet.inventory;
  const databases = fleet.databases.map((name) => shellQuote(name)).join(" ");
  return lines(
    "#!/usr/bin/env bash",
    header(fleet, "marg-mysql-backup: dump MARG's databases, gzip them, keep the last days."),
    `# Reads ${MYSQL_BACKUP_DEFAULTS}; writes ${backups.dir}/mysql/marg_<date>.sql.gz.`,
    "set -euo pipefail",
    "",
    `BACKUP_DIR="\${MARG_BACKUP_DIR:-${backups.dir}/mysql}"`,
    `DEFAULTS_FILE="\${MARG_BACKUP_DEFAULTS:-${MYSQL_BACKUP_DEFAULTS}}"`,
    `KEEP_DAYS=${backups.keepDays}`,
    "umask 077",
    'mkdir -p "$BACKUP_DIR"',
    'file="$BACKUP_DIR/marg_$(date +%Y%m%d_%H%M%S).sql.gz"',
    `mysqldump --defaults-extra-file="$DEFAULTS_FILE" --single-transaction --no-tablespaces --triggers --events${mysql.flavor === "mysql" ? " --set-gtid-purged=OFF" : ""} \\`,
    `  --databases ${databases} | gzip > "$file.partial"`,
    'mv "$file.partial" "$file"',
    'find "$BACKUP_DIR" -name "marg_*.sql.gz" -mtime +"$KEEP_DAYS" -delete',
    'echo "MySQL backup written: $file"',
  );
}

/** The [client] file the dump logs in with. */
export function mysqlBackupDefaults(fleet: Fleet, password: string): string {
  return lines(
    header(fleet, "Credentials of the MySQL backup user, for marg-mysql-backup only."),
    "[client]",
    `user = ${fleet.inventory.mysql.backupUser}`,
    `password = ${password}`,
  );
}

/**
 * A fresh RDB snapshot (BGSAVE, then wait for LASTSAVE to move) plus the AOF,
 * copied with the date. Redis 7 keeps the AOF as a folder (appendonlydir), not
 * the seed's single appendonly.aof, so both are handled.
 */
export function redisBackupScript(fleet: Fleet): string {
  const { backups } = fleet.inventory;
  return lines(
    "#!/usr/bin/env bash",
    header(fleet, "marg-redis-backup: snapshot the sessions + queues Redis and keep the last days."),
    `# Reads ${REDIS_MAIN_CONF} (for the password); writes ${backups.dir}/redis/.`,
    "set -euo pipefail",
    "",
    `BACKUP_DIR="\${MARG_BACKUP_DIR:-${backups.dir}/redis}"`,
    `CONF="\${MARG_REDIS_CONF:-${REDIS_MAIN_CONF}}"`,
    `PORT="\${MARG_REDIS_PORT:-${fleet.redis.port}}"`,
    `DATA_DIR="\${MARG_REDIS_DATA:-/var/lib/redis}"`,
    `KEEP_DAYS=${backups.keepDays}`,
    "umask 077",
    'mkdir -p "$BACKUP_DIR"',
    "# redis-cli reads the password from the environment, never from argv.",
    'REDISCLI_AUTH="$(awk \'$1 == "requirepass" { print $2 }\' "$CONF")"',
    "export REDISCLI_AUTH",
    'cli() { redis-cli -h 127.0.0.1 -p "$PORT" "$@"; }',
    "",
    "before=$(cli LASTSAVE)",
    "sleep 1",
    "cli BGSAVE SCHEDULE >/dev/null",
    "for _ in $(seq 300); do",
    '  [[ "$(cli LASTSAVE)" != "$before" ]] && break',
    "  sleep 1",
    "done",
    'if [[ "$(cli LASTSAVE)" == "$before" ]]; then',
    '  echo "error: Redis did not finish BGSAVE within 5 minutes; see its log" >&2',
    "  exit 1",
    "fi",
    "date=$(date +%Y%m%d_%H%M%S)",
    'cp "$DATA_DIR/dump.rdb" "$BACKUP_DIR/dump_$date.rdb"',
    'if [[ -d "$DATA_DIR/appendonlydir" ]]; then',
    '  tar -C "$DATA_DIR" -czf "$BACKUP_DIR/aof_$date.tar.gz" appendonlydir',
    'elif [[ -f "$DATA_DIR/appendonly.aof" ]]; then',
    '  gzip -c "$DATA_DIR/appendonly.aof" > "$BACKUP_DIR/aof_$date.aof.gz"',
    "fi",
    'find "$BACKUP_DIR" -name "dump_*.rdb" -mtime +"$KEEP_DAYS" -delete',
    'find "$BACKUP_DIR" -name "aof_*" -mtime +"$KEEP_DAYS" -delete',
    'echo "Redis backup written: $BACKUP_DIR/dump_$date.rdb"',
  );
}
