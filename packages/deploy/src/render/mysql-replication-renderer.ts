import type { Fleet } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import type { FleetSecrets } from "../secrets/fleet-secrets.js";
import { quoteString, SQL_DIR } from "./mysql-sql-renderer.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

/**
 * MySQL 8 spelling: CHANGE REPLICATION SOURCE TO with GTID auto-positioning.
 * GET_SOURCE_PUBLIC_KEY lets caching_sha2_password work without TLS between
 * the two; the seed's MASTER_LOG_POS=107 was MySQL 5.1's first binlog offset.
 */
function mysqlStatements(fleet: Fleet, secrets: FleetSecrets): string[] {
  const { mysql } = fleet.inventory;
  return [
    "STOP REPLICA;",
    "CHANGE REPLICATION SOURCE TO",
    `  SOURCE_HOST = ${quoteString(fleet.mysql.primary.address)},`,
    `  SOURCE_PORT = ${mysql.port},`,
    `  SOURCE_USER = ${quoteString(mysql.replicationUser)},`,
    `  SOURCE_PASSWORD = ${quoteString(secrets.DB_REPLICATION_PASSWORD)},`,
    "  SOURCE_AUTO_POSITION = 1,",
    "  GET_SOURCE_PUBLIC_KEY = 1;",
    "START REPLICA;",
  ];
}

/** MariaDB spelling: CHANGE MASTER TO with MariaDB's own GTIDs (slave_pos). */
function mariadbStatements(fleet: Fleet, secrets: FleetSecrets): string[] {
  const { mysql } = fleet.inventory;
  return [
    "STOP SLAVE;",
    "CHANGE MASTER TO",
    `  MASTER_HOST = ${quoteString(fleet.mysql.primary.address)},`,
    `  MASTER_PORT = ${mysql.port},`,
    `  MASTER_USER = ${quoteString(mysql.replicationUser)},`,
    `  MASTER_PASSWORD = ${quoteString(secrets.DB_REPLICATION_PASSWORD)},`,
    "  MASTER_USE_GTID = slave_pos;",
    "START SLAVE;",
  ];
}

function replicationSql(fleet: Fleet, replica: InventoryServer, secrets: FleetSecrets): string {
  const mysql = fleet.inventory.mysql.flavor === "mysql";
  return lines(
    header(
      fleet,
      `Makes ${replica.name} a replica of ${fleet.mysql.primary.name}. Apply on ${replica.name} as root:`,
      "--",
    ),
    `--   mysql < ${SQL_DIR}/02-replication.sql`,
    '-- First give it the primary\'s data (docs/operations.md, "Adding a read replica");',
    "-- GTIDs then tell it where to continue, so no binlog file or position is needed.",
    "",
    mysql ? mysqlStatements(fleet, secrets) : mariadbStatements(fleet, secrets),
  );
}

/** 02-replication.sql on each replica, in the flavor's own syntax. */
export function renderMysqlReplicationSql({ fleet, secrets }: RenderInput): RenderedFile[] {
  return fleet.mysql.replicas.map((replica) =>
    serverFile(
      replica,
      `${SQL_DIR}/02-replication.sql`,
      replicationSql(fleet, replica, secrets),
      MODE.secret,
    ),
  );
}
