import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { mysqlReplicaLagProbe, type ReplicaQuery } from "@marg/core/db";
import { createTempDir } from "@marg/core/testing";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { mysqlBackupServer } from "../render/backup-cron-renderer.js";
import { mysqldCnfPath } from "../render/mysqld-cnf-renderer.js";
import {
  type RenderedFleet,
  renderToTemp,
  tweakExample,
  useLoopbackAddresses,
} from "../testing/example-fleets.js";
import { freePort } from "../testing/free-port.js";
import {
  type BackgroundProcess,
  runTool,
  runToolAsync,
  startBackground,
  waitFor,
} from "../testing/run-tool.js";

/**
 * Phase 4's MariaDB primary and one replica, each started from its rendered
 * mysqld.cnf on a scratch data directory. The fleet's addresses are moved to
 * loopback (the replica gets 127.0.0.1, the address its connections come from)
 * and its port to a free one; only this machine's paths are overridden.
 */
const temp = createTempDir("deploy-mariadb");
const servers: BackgroundProcess[] = [];
let rendered: RenderedFleet;
let primary: InventoryServer;
let replica: InventoryServer;
let http: InventoryServer;

function socketOf(server: InventoryServer): string {
  return path.join(temp.path, server.name, "mysqld.sock");
}

/** A data dir mariadbd may write: the rendered cnf says user = mysql, so as root the dir is handed to mysql. */
function scratchDir(name: string): string {
  const dir = path.join(temp.path, name);
  mkdirSync(dir, { recursive: true });
  chmodSync(temp.path, 0o755);
  if (process.getuid?.() === 0)
    chownSync(
      dir,
      Number(runTool("id", ["-u", "mysql"]).stdout),
      Number(runTool("id", ["-g", "mysql"]).stdout),
    );
  return dir;
}

/** One system-table install, copied for each server (two installs at once trip over each other's temp tables). */
async function installSystemTables(): Promise<string> {
  const dir = path.join(scratchDir("pristine"), "data");
  const install = await runToolAsync("mariadb-install-db", [
    "--no-defaults",
    `--datadir=${dir}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    ...(process.getuid?.() === 0 ? ["--user=mysql"] : []),
  ]);
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.output}`);
  return dir;
}

async function startMariadb(server: InventoryServer, pristine: string): Promise<void> {
  const dir = scratchDir(server.name);
  const copy = runTool("cp", ["-a", pristine, `${dir}/data`]);
  if (copy.status !== 0) throw new Error(`copying the data dir failed: ${copy.output}`);
  const cnf = rendered.file(`${server.name}${mysqldCnfPath(rendered.fleet)}`);
  servers.push(
    startBackground("mariadbd", [
      `--defaults-file=${cnf}`,
      `--datadir=${dir}/data`,
      `--socket=${socketOf(server)}`,
      `--pid-file=${dir}/mysqld.pid`,
      `--log-error=${dir}/error.log`,
      `--slow-query-log-file=${dir}/slow.log`,
    ]),
  );
  await waitFor(`mariadbd on ${server.address}`, () => sql(server, "SELECT 1").status === 0, 30_000);
}

/** Runs SQL as root over the server's socket; values only, tab-separated (column names with `names`). */
function sql(server: InventoryServer, statements: string, names = false) {
  const args = ["--no-defaults", `--socket=${socketOf(server)}`, "-uroot", "-B", ...(names ? [] : ["-N"])];
  return runTool("mariadb", args, { input: statements });
}

function applyFile(server: InventoryServer, file: string) {
  return runTool("mariadb", ["--no-defaults", `--socket=${socketOf(server)}`, "-uroot"], {
    input: readFileSync(rendered.file(file), "utf8"),
  });
}

/** Connects as the app user from an http server's address, as the apps do. */
function appConnection(server: InventoryServer) {
  const port = rendered.fleet.inventory.mysql.port;
  return mysql.createConnection({
    // mysql2 has no source-address option; a stream of our own gives the socket one.
    stream: () => connect({ host: server.address, port, localAddress: http.address }),
    user: rendered.fleet.inventory.mysql.appUser,
    password: rendered.secrets.DB_PASSWORD,
  });
}

beforeAll(async () => {
  const port = await freePort();
  const fleet = tweakExample("phase4-ha", (inventory) => {
    const firstReplica = inventory.servers.find((server) => server.roles.includes("mysql-replica"));
    useLoopbackAddresses(inventory, firstReplica?.name ?? "");
    inventory.mysql.port = port;
  });
  rendered = renderToTemp(fleet, "mariadb");
  primary = fleet.mysql.primary;
  [replica] = fleet.mysql.replicas as [InventoryServer];
  [http] = fleet.https as [InventoryServer];
  const pristine = await installSystemTables();
  await Promise.all([startMariadb(primary, pristine), startMariadb(replica, pristine)]);
  const setup = applyFile(primary, `${primary.name}/root/marg-sql/01-databases-and-users.sql`);
  if (setup.status !== 0) throw new Error(`01-databases-and-users.sql failed: ${setup.output}`);
  const replication = applyFile(replica, `${replica.name}/root/marg-sql/02-replication.sql`);
  if (replication.status !== 0) throw new Error(`02-replication.sql failed: ${replication.output}`);
}, 90_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  rendered?.remove();
  temp.remove();
});

describe("mariadbd with the rendered primary mysqld.cnf", () => {
  it("runs with the binlog, strict GTIDs, server_id 1, no DNS lookups and utf8mb4", () => {
    const result = sql(
      primary,
      "SELECT @@log_bin, @@gtid_strict_mode, @@server_id, @@skip_name_resolve, @@character_set_server, @@read_only",
    );
    expect(result.stdout.trim().split("\t")).toEqual(["1", "1", "1", "1", "utf8mb4", "0"]);
  });

  it("creates the seed's four databases and the users, each app account bound to one server's address", () => {
    const databases = sql(primary, "SELECT schema_name FROM information_schema.schemata ORDER BY 1").stdout;
    for (const name of ["klueportal", "links_db", "marg-rbac", "klue_portal_business"])
      expect(databases).toContain(name);
    const users = sql(primary, "SELECT CONCAT(user, '@', host) FROM mysql.user ORDER BY 1").stdout;
    const clients = [...rendered.fleet.https, ...rendered.fleet.workers];
    for (const client of clients) expect(users).toContain(`marg_app@${client.address}`);
    expect(users).toContain("marg_backup@localhost");
    for (const each of rendered.fleet.mysql.replicas) expect(users).toContain(`marg_replica@${each.address}`);
    expect(users).not.toMatch(/marg_app@%/);
  });

  it("gives the app user no GRANT OPTION and nothing beyond MARG's databases but SLAVE MONITOR (the lag probe)", () => {
    const grants = sql(primary, `SHOW GRANTS FOR 'marg_app'@'${http.address}'`).stdout;
    expect(grants).not.toContain("GRANT OPTION");
    expect(grants).not.toContain("ALL PRIVILEGES");
    expect(grants.match(/^GRANT .* ON \*\.\* /gm)).toEqual([
      expect.stringMatching(/^GRANT SLAVE MONITOR ON/),
    ]);
    expect(grants.match(/ON `[^`]+`\.\*/g)).toHaveLength(4);
  });

  it("lets the app user build and use its tables, but not grant or read mysql.user", async () => {
    const app = await appConnection(primary);
    try {
      await app.query("CREATE TABLE klueportal.deploy_probe (id INT PRIMARY KEY, note VARCHAR(20))");
      await app.query("INSERT INTO klueportal.deploy_probe VALUES (1, 'replicated')");
      await expect(app.query(`GRANT SELECT ON klueportal.* TO 'marg_backup'@'localhost'`)).rejects.toThrow(
        /denied/i,
      );
      await expect(app.query("SELECT * FROM mysql.user")).rejects.toThrow(/denied/i);
    } finally {
      await app.end();
    }
  });

  it("takes the same SQL again without error (after adding a server)", () => {
    const again = applyFile(primary, `${primary.name}/root/marg-sql/01-databases-and-users.sql`);
    expect(again.status, again.output).toBe(0);
  });
});

describe("mariadbd with the rendered replica mysqld.cnf and replication SQL", () => {
  it("replicates from the primary over GTID (no binlog file or position given)", async () => {
    const status = () => sql(replica, "SHOW SLAVE STATUS\\G", true).stdout;
    const row = () => sql(replica, "SELECT note FROM klueportal.deploy_probe").stdout.trim();
    await waitFor(`the replicated row (replica status: ${status()})`, () => row() === "replicated", 20_000);
    expect(status()).toMatch(/Slave_IO_Running: Yes/);
    expect(status()).toMatch(/Using_Gtid: Slave_Pos/);
  });

  it("lets the app user's lag probe read the replica's lag (the rendered SLAVE MONITOR grant)", async () => {
    const app = await appConnection(replica);
    try {
      const run: ReplicaQuery = async (statement) => (await app.query<mysql.RowDataPacket[]>(statement))[0];
      const lag = await mysqlReplicaLagProbe(
        { host: replica.address, port: rendered.fleet.inventory.mysql.port },
        run,
      );
      expect(lag).toBeTypeOf("number");
      expect(lag).toBeLessThan(5);
    } finally {
      await app.end();
    }
  });

  it("refuses writes from the app user (read_only)", async () => {
    expect(sql(replica, "SELECT @@read_only, @@server_id").stdout.trim().split("\t")).toEqual(["1", "2"]);
    const app = await appConnection(replica);
    try {
      await expect(app.query("INSERT INTO klueportal.deploy_probe VALUES (2, 'nope')")).rejects.toThrow(
        /read-only/i,
      );
    } finally {
      await app.end();
    }
  });

  it("is dumped by the rendered marg-mysql-backup with the backup user", () => {
    const source = mysqlBackupServer(rendered.fleet);
    const defaults = path.join(temp.path, "backup.cnf");
    // The rendered credentials, plus this test's socket (on a server it is the default one).
    copyFileSync(rendered.file(`${source.name}/etc/mysql/marg-backup.cnf`), defaults);
    writeFileSync(defaults, `${readFileSync(defaults, "utf8")}socket = ${socketOf(replica)}\n`);
    const backups = path.join(temp.path, "backups");
    const run = runTool("bash", [rendered.file(`${source.name}/usr/local/sbin/marg-mysql-backup`)], {
      env: { ...process.env, MARG_BACKUP_DIR: backups, MARG_BACKUP_DEFAULTS: defaults },
      timeoutMs: 30_000,
    });
    expect(run.status, run.output).toBe(0);
    const [dump] = readdirSync(backups).filter((name) => name.endsWith(".sql.gz"));
    expect(dump).toBeDefined();
    const text = gunzipSync(readFileSync(path.join(backups, dump ?? ""))).toString();
    expect(text).toContain("CREATE TABLE `deploy_probe`");
    expect(text).toContain("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `marg-rbac`");
  });
});
