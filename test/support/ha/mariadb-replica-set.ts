/**
 * Phase 4's MariaDB on loopback: the primary (mysql-1) and two GTID replicas
 * (mysql-2, mysql-3), each a mariadbd with its own data directory and port,
 * started from its rendered mysqld.cnf; replication set up with the rendered
 * 01-databases-and-users.sql and 02-replication.sql. Every server of the fleet is
 * given 127.0.0.1, so the rendered accounts (marg_app@http, marg_replica@replica)
 * match where loopback connections come from. Overridden on the command line:
 * paths, port, and InnoDB's memory (the rendered 4–8G is for real servers).
 */
import { chmodSync, chownSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { mysqldCnfPath } from "@marg/deploy";
import {
  type BackgroundProcess,
  freePort,
  type RenderedFleet,
  renderToTemp,
  runTool,
  runToolAsync,
  startBackground,
  tweakExample,
  waitFor,
} from "@marg/deploy/testing";
import { parse } from "dotenv";

export interface MariadbNode {
  readonly name: string;
  readonly port: number;
  process: BackgroundProcess;
}

export interface MariadbReplicaSet {
  readonly primary: MariadbNode;
  readonly replicas: readonly MariadbNode[];
  /** The DB_* and RBAC_DB_* lines of the rendered .env.shared (DB_READ_HOSTS with the replicas' ports), plus flow's DB_DATABASE. */
  readonly env: Readonly<Record<string, string>>;
  /** Runs SQL as root over the node's socket; returns stdout (tab-separated, no column names). */
  sql(node: MariadbNode, statements: string): string;
  /** The node's `Com_select` counter: SELECTs it has answered (0 once it was killed). */
  selects(node: MariadbNode): number;
  /** `Seconds_Behind_Master` of a replica ("NULL" when replication is stopped). */
  lag(node: MariadbNode): string;
  /** Replication on a replica held back by `seconds` (MASTER_DELAY; 0 to catch up). */
  delay(node: MariadbNode, seconds: number): void;
  kill(node: MariadbNode): void;
  stop(): Promise<void>;
}

export async function startMariadbReplicaSet(dir: string): Promise<MariadbReplicaSet> {
  const [primaryPort = 0, ...replicaPorts] = await Promise.all([freePort(), freePort(), freePort()]);
  const rendered: RenderedFleet = renderToTemp(
    tweakExample("phase4-ha", (inventory) => {
      for (const server of inventory.servers) server.address = "127.0.0.1";
      inventory.mysql.port = primaryPort;
    }),
    "ha-mariadb",
  );
  const { fleet } = rendered;
  const nodes: MariadbNode[] = [];
  const socketOf = (node: { name: string }) => path.join(dir, node.name, "mysqld.sock");
  const sql = (node: { name: string }, statements: string, names = false) => {
    const args = ["--no-defaults", `--socket=${socketOf(node)}`, "-uroot", "-B", ...(names ? [] : ["-N"])];
    const result = runTool("mariadb", args, { input: statements });
    if (result.status !== 0) throw new Error(`SQL on ${node.name} failed: ${result.output}`);
    return result.stdout.trim();
  };
  try {
    chmodSync(dir, 0o755);
    const pristine = await installSystemTables(dir);
    const start = async (name: string, port: number) => {
      const data = ownedDir(path.join(dir, name));
      const copy = runTool("cp", ["-a", pristine, `${data}/data`]);
      if (copy.status !== 0) throw new Error(`copying the data dir failed: ${copy.output}`);
      const node = {
        name,
        port,
        process: launch(rendered.file(`${name}${mysqldCnfPath(fleet)}`), data, port),
      };
      nodes.push(node);
      await waitFor(
        `mariadbd ${name}`,
        () =>
          runTool("mariadb", ["--no-defaults", `--socket=${socketOf(node)}`, "-uroot", "-e", "SELECT 1"])
            .status === 0,
        30_000,
      );
      return node;
    };
    const [primaryServer, ...replicaServers] = [fleet.mysql.primary, ...fleet.mysql.replicas];
    if (primaryServer === undefined || replicaServers.length !== 2)
      throw new Error("phase 4 renders no primary and two replicas");
    const [primary, ...replicas] = await Promise.all([
      start(primaryServer.name, primaryPort),
      ...replicaServers.map((server, index) => start(server.name, replicaPorts[index] ?? 0)),
    ]);
    if (primary === undefined) throw new Error("no primary");
    sql(
      primary,
      readFileSync(rendered.file(`${primary.name}/root/marg-sql/01-databases-and-users.sql`), "utf8"),
    );
    for (const replica of replicas)
      sql(replica, readFileSync(rendered.file(`${replica.name}/root/marg-sql/02-replication.sql`), "utf8"));
    const shared = parse(readFileSync(rendered.file(`${fleet.https[0]?.name}/srv/marg/.env.shared`)));
    const flow = parse(readFileSync(rendered.file(`${fleet.https[0]?.name}/srv/marg/apps/flow/.env`)));
    const env = Object.fromEntries(
      Object.entries(shared).filter(([name]) => /^(RBAC_|BUSINESS_)?DB_/.test(name)),
    );
    env.DB_READ_HOSTS = replicas.map((node) => `127.0.0.1:${node.port}`).join(",");
    if (flow.DB_DATABASE !== undefined) env.DB_DATABASE = flow.DB_DATABASE;
    const status = (node: MariadbNode) => {
      const lines = sql(node, "SHOW SLAVE STATUS\\G", true).split("\n");
      return (name: string) =>
        lines
          .find((line) => line.trim().startsWith(`${name}:`))
          ?.split(":")[1]
          ?.trim() ?? "";
    };
    await waitFor(
      "both replicas running",
      () => replicas.every((node) => status(node)("Slave_SQL_Running") === "Yes"),
      30_000,
    ).catch((error) => {
      throw new Error(
        `${error}: ${replicas.map((node) => sql(node, "SHOW SLAVE STATUS\\G", true)).join("\n")}`,
      );
    });
    return {
      primary,
      replicas,
      env,
      sql,
      selects: (node) =>
        node.process.child.exitCode === null && node.process.child.signalCode === null
          ? Number(sql(node, "SHOW GLOBAL STATUS LIKE 'Com_select'").split("\t")[1])
          : 0,
      lag: (node) => status(node)("Seconds_Behind_Master"),
      delay(node, seconds) {
        sql(node, `STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = ${Math.trunc(seconds)}; START SLAVE;`);
      },
      kill: (node) => node.process.child.kill("SIGKILL"),
      async stop() {
        await Promise.all(nodes.map((node) => node.process.stop()));
        rendered.remove();
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.process.stop()));
    rendered.remove();
    throw error;
  }
}

/** The rendered cnf says user = mysql: as root, data dirs are handed to mysql. */
function ownedDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0)
    chownSync(
      dir,
      Number(runTool("id", ["-u", "mysql"]).stdout),
      Number(runTool("id", ["-g", "mysql"]).stdout),
    );
  return dir;
}

/** One system-table install, copied for each server (parallel installs trip over each other). */
async function installSystemTables(dir: string): Promise<string> {
  const data = path.join(ownedDir(path.join(dir, "pristine")), "data");
  const install = await runToolAsync("mariadb-install-db", [
    "--no-defaults",
    `--datadir=${data}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    ...(process.getuid?.() === 0 ? ["--user=mysql"] : []),
  ]);
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.output}`);
  return data;
}

function launch(cnf: string, dir: string, port: number): BackgroundProcess {
  return startBackground("mariadbd", [
    `--defaults-file=${cnf}`,
    `--datadir=${dir}/data`,
    `--socket=${dir}/mysqld.sock`,
    `--pid-file=${dir}/mysqld.pid`,
    `--log-error=${dir}/error.log`,
    `--slow-query-log-file=${dir}/slow.log`,
    `--port=${port}`,
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=16M",
  ]);
}
