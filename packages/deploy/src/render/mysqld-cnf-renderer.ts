import { type Fleet, hasRole } from "../fleet/fleet.js";
import { bufferPoolMegabytes, maxConnections } from "../fleet/fleet-sizing.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { mysqlSize } from "../inventory/size.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

/**
 * MySQL's packages read mysql.conf.d/mysqld.cnf (the seed's file, replaced
 * whole); MariaDB's read mariadb.conf.d in order, so ours comes after 50-server.
 */
export function mysqldCnfPath(fleet: Fleet): string {
  return fleet.inventory.mysql.flavor === "mysql"
    ? "/etc/mysql/mysql.conf.d/mysqld.cnf"
    : "/etc/mysql/mariadb.conf.d/60-marg-mysqld.cnf";
}

function replicationLines(fleet: Fleet, server: InventoryServer, serverId: number): string[] {
  const mysql = fleet.inventory.mysql.flavor === "mysql";
  const replica = hasRole(server, "mysql-replica");
  return [
    "# Replication: row-based binlog with GTIDs, so a replica (or a point-in-time",
    "# restore) needs no MASTER_LOG_FILE/MASTER_LOG_POS, and any replica can be promoted.",
    `server_id = ${serverId}`,
    "log_bin = mysql-bin",
    "binlog_format = ROW",
    "binlog_expire_logs_seconds = 604800",
    "sync_binlog = 1",
    "innodb_flush_log_at_trx_commit = 1",
    ...(mysql
      ? ["gtid_mode = ON", "enforce_gtid_consistency = ON", "log_replica_updates = ON"]
      : ["gtid_strict_mode = ON", "log_slave_updates = ON"]),
    ...(replica
      ? [
          "relay_log = relay-bin",
          "# Replicas refuse writes; only the replication thread changes them.",
          "read_only = ON",
          ...(mysql ? ["super_read_only = ON"] : []),
        ]
      : []),
  ];
}

function mysqldCnf(fleet: Fleet, server: InventoryServer, serverId: number): string {
  const { mysql } = fleet.inventory;
  const connections = maxConnections(fleet);
  const role = hasRole(server, "mysql-replica") ? "replica" : "primary";
  return lines(
    header(fleet, `${mysql.flavor === "mysql" ? "MySQL 8" : "MariaDB"} ${role} on ${server.name}.`),
    "",
    "[mysqld]",
    "user = mysql",
    "pid-file = /run/mysqld/mysqld.pid",
    "socket = /run/mysqld/mysqld.sock",
    "datadir = /var/lib/mysql",
    `port = ${mysql.port}`,
    "# The private address only, never 0.0.0.0; ufw admits the app and worker servers.",
    `bind-address = ${server.address}`,
    "# Grants name servers by IP, so no DNS lookup can lock the apps out.",
    "skip_name_resolve = ON",
    "character-set-server = utf8mb4",
    "collation-server = utf8mb4_unicode_ci",
    "log_error = /var/log/mysql/error.log",
    "",
    `# ${connections.needed} = (app + worker processes) x 3 pools x DB_POOL_SIZE ${mysql.poolSize} + 20 spare.`,
    `max_connections = ${connections.value}`,
    `innodb_buffer_pool_size = ${mysqlSize(bufferPoolMegabytes(fleet, server))}`,
    mysql.flavor === "mysql"
      ? "# innodb_log_file_size is deprecated in 8.0.30; this is the seed's 2 x 256M."
      : undefined,
    mysql.flavor === "mysql" ? "innodb_redo_log_capacity = 512M" : "innodb_log_file_size = 256M",
    "# No query_cache_size: MySQL 8 removed the query cache and will not start with it.",
    "slow_query_log = 1",
    "slow_query_log_file = /var/log/mysql/slow-query.log",
    `long_query_time = ${mysql.longQueryTime}`,
    "",
    replicationLines(fleet, server, serverId),
  );
}

/** mysqld.cnf on the primary and each replica (server_id 1 for the primary, then 2, 3, …). */
export function renderMysqldCnfs({ fleet }: RenderInput): RenderedFile[] {
  const servers = [fleet.mysql.primary, ...fleet.mysql.replicas];
  return servers.map((server, index) =>
    serverFile(server, mysqldCnfPath(fleet), mysqldCnf(fleet, server, index + 1), MODE.config),
  );
}
