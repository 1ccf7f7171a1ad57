import { describe, expect, it } from "vitest";
import { EXAMPLES, renderExample } from "../testing/example-fleets.js";
import { mysqldCnfPath } from "./mysqld-cnf-renderer.js";

const mysql8 = renderExample("phase4-ha", (inventory) => {
  inventory.mysql.flavor = "mysql";
});
const mariadb = renderExample("phase4-ha");
const cnf = (rendered: typeof mariadb, server: string) =>
  rendered.content(`${server}${mysqldCnfPath(rendered.fleet)}`);

describe("mysqld.cnf", () => {
  it("never sets query_cache_size (removed in MySQL 8), in any phase or flavor", () => {
    for (const name of EXAMPLES) {
      for (const file of renderExample(name).files) expect(file.content).not.toMatch(/^query_cache_size/m);
    }
    for (const file of mysql8.files) expect(file.content).not.toMatch(/^query_cache_size/m);
  });

  it("keeps the seed's settings that still exist", () => {
    const primary = cnf(mariadb, "mysql-1");
    for (const line of ["slow_query_log = 1", "long_query_time = 2", "innodb_log_file_size = 256M"])
      expect(primary).toContain(line);
    expect(primary).toMatch(/^max_connections = \d+$/m);
    expect(primary).toMatch(/^innodb_buffer_pool_size = 4G$/m);
    expect(cnf(renderExample("phase2-four-servers"), "mysql-1")).toMatch(/^innodb_buffer_pool_size = 1G$/m);
  });

  it("turns on the binlog and GTIDs on the primary, read_only on replicas (MariaDB)", () => {
    expect(cnf(mariadb, "mysql-1")).toMatch(/^log_bin = mysql-bin$/m);
    expect(cnf(mariadb, "mysql-1")).toMatch(/^gtid_strict_mode = ON$/m);
    expect(cnf(mariadb, "mysql-1")).not.toMatch(/^read_only/m);
    expect(cnf(mariadb, "mysql-2")).toMatch(/^read_only = ON$/m);
    expect(cnf(mariadb, "mysql-2")).toMatch(/^server_id = 2$/m);
    expect(cnf(mariadb, "mysql-3")).toMatch(/^server_id = 3$/m);
  });

  it("uses MySQL 8's own names for MySQL", () => {
    expect(mysqldCnfPath(mysql8.fleet)).toBe("/etc/mysql/mysql.conf.d/mysqld.cnf");
    expect(cnf(mysql8, "mysql-1")).toMatch(/^gtid_mode = ON$/m);
    expect(cnf(mysql8, "mysql-1")).toMatch(/^enforce_gtid_consistency = ON$/m);
    expect(cnf(mysql8, "mysql-1")).toMatch(/^innodb_redo_log_capacity = 512M$/m);
    expect(cnf(mysql8, "mysql-2")).toMatch(/^super_read_only = ON$/m);
    expect(cnf(mysql8, "mysql-1")).not.toContain("gtid_strict_mode");
  });

  it("binds to the server's private address", () => {
    expect(cnf(mariadb, "mysql-1")).toMatch(/^bind-address = 192\.168\.1\.51$/m);
  });
});

describe("the SQL for databases, users and grants", () => {
  const setup = mariadb.content("mysql-1/root/marg-sql/01-databases-and-users.sql");

  it("creates the seed's four databases in utf8mb4", () => {
    for (const name of ["klueportal", "links_db", "marg-rbac", "klue_portal_business"]) {
      expect(setup).toContain(
        `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
      );
    }
  });

  it("grants the app user no GRANT OPTION, no ALL PRIVILEGES and no wildcard host", () => {
    const statements = setup.split("\n").filter((line) => !line.startsWith("--"));
    expect(statements.join("\n")).not.toMatch(/GRANT OPTION|ALL PRIVILEGES|'%'/);
    expect(setup).toContain("'marg_app'@'192.168.1.10'");
    expect(setup).toContain("'marg_app'@'192.168.1.24'");
  });

  it("adds a backup user on the socket only, and a replication user per replica", () => {
    expect(setup).toContain("'marg_backup'@'localhost'");
    expect(setup).toContain("GRANT REPLICATION SLAVE ON *.* TO 'marg_replica'@'192.168.1.61';");
    expect(setup).toContain("GRANT REPLICATION SLAVE ON *.* TO 'marg_replica'@'192.168.1.62';");
  });

  it("lets the app user read replica status on every app host (the lag probe), and nothing broader", () => {
    const hosts = [...mariadb.fleet.https, ...mariadb.fleet.workers].map((server) => server.address);
    for (const host of hosts) expect(setup).toContain(`GRANT SLAVE MONITOR ON *.* TO 'marg_app'@'${host}';`);
    const mysqlSetup = mysql8.content("mysql-1/root/marg-sql/01-databases-and-users.sql");
    for (const host of hosts)
      expect(mysqlSetup).toContain(`GRANT REPLICATION CLIENT ON *.* TO 'marg_app'@'${host}';`);
    for (const sql of [setup, mysqlSetup]) {
      const appGlobal = sql.split("\n").filter((line) => /^GRANT .* ON \*\.\* TO 'marg_app'/.test(line));
      expect(appGlobal).toHaveLength(hosts.length);
      expect(appGlobal.join("\n")).not.toMatch(/SUPER|REPLICATION SLAVE|ALL/);
    }
  });

  it("gives the app user no global privilege on a fleet without replicas (no lag probe runs)", () => {
    const phase3 = renderExample("phase3-horizontal").content(
      "mysql-1/root/marg-sql/01-databases-and-users.sql",
    );
    expect(phase3).not.toMatch(/^GRANT .* ON \*\.\* TO 'marg_app'/m);
  });

  it("is written owner-only, since it holds passwords", () => {
    expect(mariadb.files.find((file) => file.path.endsWith("01-databases-and-users.sql"))?.mode).toBe(0o600);
  });
});

describe("the replication SQL", () => {
  it("for MySQL 8: CHANGE REPLICATION SOURCE TO with GTID auto-positioning", () => {
    const sql = mysql8.content("mysql-2/root/marg-sql/02-replication.sql");
    expect(sql).toContain("CHANGE REPLICATION SOURCE TO");
    expect(sql).toContain("SOURCE_HOST = '192.168.1.51'");
    expect(sql).toContain("SOURCE_AUTO_POSITION = 1");
    expect(sql).toContain("START REPLICA;");
    expect(sql).not.toMatch(/MASTER_LOG_POS|SOURCE_LOG_POS/);
  });

  it("for MariaDB: CHANGE MASTER TO with MASTER_USE_GTID, never the seed's MASTER_LOG_POS=107", () => {
    const sql = mariadb.content("mysql-3/root/marg-sql/02-replication.sql");
    expect(sql).toContain("CHANGE MASTER TO");
    expect(sql).toContain("MASTER_USE_GTID = slave_pos");
    expect(sql).toContain(`MASTER_PASSWORD = '${mariadb.secrets.DB_REPLICATION_PASSWORD}'`);
    expect(sql).not.toContain("MASTER_LOG_POS");
  });

  it("is not rendered for a fleet without replicas", () => {
    expect(
      renderExample("phase3-horizontal").files.some((file) => file.path.endsWith("02-replication.sql")),
    ).toBe(false);
  });
});
