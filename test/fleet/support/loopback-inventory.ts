/**
 * A phase 3 fleet inventory for this one machine: every server a loopback
 * address (127.0.X.y, X random so parallel suites do not meet), every port
 * free, every path under a temp folder, scratch database and user names. What
 * differs from production is only inventory options (singleHost, ports,
 * paths, user); nothing rendered from it is edited afterwards.
 */
import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse, stringify } from "yaml";
import { freePort } from "../../support/free-port.js";
import { REPO_ROOT } from "../../support/spawn-process.js";

export const FLEET_DOMAIN = "marg.test";
export const FLEET_APPS = ["flow", "links", "admin"] as const;

export interface LoopbackInventory {
  /** The inventory as written (YAML), for `marg infra:render --inventory`. */
  readonly file: string;
  readonly data: Record<string, unknown>;
  /** Names and values the suite needs to reach what it renders. */
  readonly lb: { readonly address: string; readonly port: number; readonly socket: string };
  readonly http: readonly { readonly name: string; readonly address: string }[];
  readonly appPorts: Readonly<Record<(typeof FLEET_APPS)[number], number>>;
  readonly installRoot: string;
  readonly supervisorSocket: (server: string) => string;
  readonly logDir: (server: string) => string;
  readonly databases: readonly string[];
  readonly users: { readonly app: string; readonly backup: string; readonly replication: string };
  readonly smtpPort: number;
}

/** Writes `<dir>/inventory.yml` for a fleet of lb-1, http-1 (http + worker), http-2 (http only) and data-1. */
export async function writeLoopbackInventory(
  dir: string,
  options: { processManager: "supervisor" | "systemd"; smtpPort: number },
): Promise<LoopbackInventory> {
  const net = `127.0.${randomInt(20, 250)}`;
  const tag = randomBytes(3).toString("hex");
  const ports = await Promise.all(Array.from({ length: 9 }, () => freePort()));
  const [flow, links, admin, nginx, lbPort, lbHttps, stats, redis, cache] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const run = path.join(dir, "run");
  const installRoot = path.join(dir, "srv", "marg");
  for (const folder of [run, installRoot, path.join(dir, "redis", "data"), path.join(dir, "redis", "log")])
    mkdirSync(folder, { recursive: true });
  const db = (suffix: string) => `marg_fleet_${tag}_${suffix}`;
  const users = { app: `mf_app_${tag}`, backup: `mf_bak_${tag}`, replication: `mf_rep_${tag}` };
  const data = {
    name: "marg-fleet-test",
    phase: 3,
    domain: FLEET_DOMAIN,
    // staging: production's settings, but db:seed may create the demo users a journey signs in with.
    environment: "staging",
    singleHost: true,
    apps: [
      { name: "flow", port: flow, database: db("flow") },
      { name: "links", port: links, database: db("links") },
      { name: "admin", port: admin, database: db("rbac") },
    ],
    servers: [
      { name: "lb-1", address: `${net}.1`, roles: ["lb"] },
      { name: "http-1", address: `${net}.2`, roles: ["http", "worker"], workerProcesses: 2 },
      // No workers here: `marg deploy` on a server without marg-worker programs is part of what is tested.
      { name: "http-2", address: `${net}.3`, roles: ["http"] },
      // This machine's MariaDB listens on 127.0.0.1 only, so the database server is that address.
      { name: "data-1", address: "127.0.0.1", roles: ["redis", "mysql-primary"], memory: "1G" },
    ],
    redis: {
      port: redis,
      cache: { port: cache },
      dataDir: path.join(dir, "redis", "data"),
      logDir: path.join(dir, "redis", "log"),
      runDir: run,
    },
    mysql: {
      flavor: "mariadb",
      appUser: users.app,
      backupUser: users.backup,
      replicationUser: users.replication,
      rbacDatabase: db("rbac"),
      businessDatabase: db("business"),
      poolSize: 4,
      // Every "server" here connects from 127.0.0.1.
      appUserHosts: ["127.0.0.1"],
    },
    workers: { stopWaitSeconds: 15 },
    install: {
      root: installRoot,
      code: REPO_ROOT,
      user: "root",
      node: process.execPath,
      processManager: options.processManager,
      logDir: path.join(dir, "log", "{server}"),
      supervisorSocket: path.join(run, "{server}-supervisor.sock"),
      shutdownTimeout: 5,
      // The seed's startsecs, said out loud: with 1, deploy:rolling under load saw 502s (to be understood before lowering it).
      startSeconds: 5,
    },
    nginx: { port: nginx },
    haproxy: {
      port: lbPort,
      httpsPort: lbHttps,
      statsPort: stats,
      socket: path.join(run, "haproxy-{server}.sock"),
    },
    mail: {
      host: "127.0.0.1",
      port: options.smtpPort,
      encryption: "none",
      fromAddress: `noreply@${FLEET_DOMAIN}`,
    },
    env: { LOG_LEVEL: "warn" },
    // Prometheus (not run here) off the http servers: every app's and worker's /metrics then
    // listens on its server's random loopback address, never on a fixed port of 127.0.0.1
    // that a fleet rendered by a test running beside this one would also want.
    monitoring: { server: "lb-1" },
  };
  const file = path.join(dir, "inventory.yml");
  writeFileSync(file, stringify(data));
  return loopbackInventoryOf(file, data);
}

interface InventoryData {
  apps: { name: (typeof FLEET_APPS)[number]; port: number; database: string }[];
  servers: { name: string; address: string; roles: string[] }[];
  mysql: { appUser: string; backupUser: string; replicationUser: string; businessDatabase: string };
  install: { root: string; logDir: string; supervisorSocket: string };
  haproxy: { port: number; socket: string };
  mail: { port: number };
}

/** The names and values of an inventory this module wrote, from its YAML (another process reads it so). */
export function readLoopbackInventory(file: string): LoopbackInventory {
  return loopbackInventoryOf(file, parse(readFileSync(file, "utf8")) as Record<string, unknown>);
}

function loopbackInventoryOf(file: string, data: Record<string, unknown>): LoopbackInventory {
  const { apps, servers, mysql, install, haproxy, mail } = data as unknown as InventoryData;
  const address = (name: string) => servers.find((server) => server.name === name)?.address ?? "";
  const port = (app: (typeof FLEET_APPS)[number]) => apps.find((entry) => entry.name === app)?.port ?? 0;
  return {
    file,
    data,
    lb: { address: address("lb-1"), port: haproxy.port, socket: haproxy.socket.replace("{server}", "lb-1") },
    http: servers
      .filter((server) => server.roles.includes("http"))
      .map((server) => ({ name: server.name, address: server.address })),
    appPorts: { flow: port("flow"), links: port("links"), admin: port("admin") },
    installRoot: install.root,
    supervisorSocket: (server) => install.supervisorSocket.replace("{server}", server),
    logDir: (server) => install.logDir.replace("{server}", server),
    databases: [...apps.map((app) => app.database), mysql.businessDatabase],
    users: { app: mysql.appUser, backup: mysql.backupUser, replication: mysql.replicationUser },
    smtpPort: mail.port,
  };
}
