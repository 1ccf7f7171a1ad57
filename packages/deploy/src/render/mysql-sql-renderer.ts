import type { Fleet } from "../fleet/fleet.js";
import type { FleetSecrets } from "../secrets/fleet-secrets.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

/** Where the SQL lands on the database servers (root only: it holds passwords). */
export const SQL_DIR = "/root/marg-sql";

/**
 * What the app needs on its own databases: data, plus the schema changes its
 * migrations make. No GRANT OPTION, nothing on *.*, nothing on `mysql`.
 */
export const APP_PRIVILEGES =
  "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES, " +
  "CREATE TEMPORARY TABLES, LOCK TABLES, CREATE VIEW, SHOW VIEW, TRIGGER";
/** A consistent mysqldump --single-transaction --no-tablespaces of MARG's databases, nothing more. */
export const BACKUP_PRIVILEGES = "SELECT, SHOW VIEW, TRIGGER, LOCK TABLES, EVENT";

/**
 * The app user's one global privilege, rendered only when the fleet has replicas:
 * the apps' replica lag probe runs `SHOW REPLICA STATUS` on each replica as
 * DB_USERNAME, and without this every probe is refused, so a lagging replica keeps
 * serving reads. MariaDB 10.5.9+ calls it SLAVE MONITOR (its REPLICATION CLIENT is
 * now BINLOG MONITOR and no longer shows replica status); MySQL 8 REPLICATION CLIENT.
 * Either shows replication status only: no SUPER, no REPLICATION SLAVE.
 */
export function replicaMonitorPrivilege(fleet: Fleet): string {
  return fleet.inventory.mysql.flavor === "mysql" ? "REPLICATION CLIENT" : "SLAVE MONITOR";
}

export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** Passwords are letters and digits (generatePassword); escaping still guards hand-made ones. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function account(user: string, host: string): string {
  return `${quoteString(user)}@${quoteString(host)}`;
}

/** CREATE … IF NOT EXISTS then ALTER, so applying the file again also resets the password. */
function upsertUser(user: string, host: string, password: string): string[] {
  return [
    `CREATE USER IF NOT EXISTS ${account(user, host)} IDENTIFIED BY ${quoteString(password)};`,
    `ALTER USER ${account(user, host)} IDENTIFIED BY ${quoteString(password)};`,
  ];
}

/** The app/worker servers that connect to MySQL, one account host each (skip_name_resolve is on). */
export function appClientAddresses(fleet: Fleet): string[] {
  const hosts = fleet.inventory.mysql.appUserHosts;
  if (hosts !== undefined) return [...new Set(hosts)];
  return [...new Set([...fleet.https, ...fleet.workers].map((server) => server.address))];
}

function setupSql(fleet: Fleet, secrets: FleetSecrets): string {
  const { mysql } = fleet.inventory;
  const databases = fleet.databases.map(quoteIdentifier);
  const appHosts = appClientAddresses(fleet);
  const monitor = fleet.mysql.replicas.length > 0 ? replicaMonitorPrivilege(fleet) : undefined;
  return lines(
    header(fleet, "Databases, users and grants. Apply on the primary as root:", "--"),
    `--   mysql < ${SQL_DIR}/01-databases-and-users.sql`,
    "-- Safe to apply again (after adding a server, or to reset the passwords).",
    "",
    "-- What mysql_secure_installation would remove.",
    "DROP USER IF EXISTS ''@'localhost';",
    "DROP DATABASE IF EXISTS test;",
    "",
    "-- The seed's databases.",
    databases.map(
      (name) => `CREATE DATABASE IF NOT EXISTS ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    ),
    "",
    "-- The app user (DB_USERNAME): one account per app/worker server address (the seed's",
    "-- 'marg_user'@'%' logs in from anywhere), data and schema rights on MARG's databases",
    "-- only: it cannot grant, run routines, or touch any other database.",
    monitor !== undefined && [
      `-- With replicas it also holds ${monitor} ON *.*, which only lets it read replication`,
      "-- status: the apps' lag probe runs SHOW REPLICA STATUS on each replica as this user and",
      "-- stops reading from one more than DB_REPLICA_MAX_LAG seconds behind. Without it every",
      "-- probe is refused and a lagging replica keeps serving reads.",
    ],
    ...appHosts.flatMap((host) => [
      ...upsertUser(mysql.appUser, host, secrets.DB_PASSWORD),
      ...databases.map((name) => `GRANT ${APP_PRIVILEGES} ON ${name}.* TO ${account(mysql.appUser, host)};`),
      ...(monitor === undefined ? [] : [`GRANT ${monitor} ON *.* TO ${account(mysql.appUser, host)};`]),
    ]),
    "",
    "-- The backup user, for mysqldump on this server's socket only.",
    ...upsertUser(mysql.backupUser, "localhost", secrets.DB_BACKUP_PASSWORD),
    databases.map(
      (name) => `GRANT ${BACKUP_PRIVILEGES} ON ${name}.* TO ${account(mysql.backupUser, "localhost")};`,
    ),
    fleet.mysql.replicas.length > 0 && [
      "",
      "-- The replication user, one account per replica.",
      ...fleet.mysql.replicas.flatMap((replica) => [
        ...upsertUser(mysql.replicationUser, replica.address, secrets.DB_REPLICATION_PASSWORD),
        `GRANT REPLICATION SLAVE ON *.* TO ${account(mysql.replicationUser, replica.address)};`,
      ]),
    ],
  );
}

/** 01-databases-and-users.sql on the primary. */
export function renderMysqlSetupSql({ fleet, secrets }: RenderInput): RenderedFile[] {
  const primary = fleet.mysql.primary;
  return [
    serverFile(primary, `${SQL_DIR}/01-databases-and-users.sql`, setupSql(fleet, secrets), MODE.secret),
  ];
}
