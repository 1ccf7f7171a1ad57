import type { Inventory, InventoryApp, InventoryServer, Role } from "../inventory/inventory-schema.js";

/** Where the sessions + queues Redis and the cache Redis run. */
export interface RedisTopology {
  /** The initial master of the sessions + queues instance (noeviction, AOF). */
  readonly primary: InventoryServer;
  /** Further `redis` servers: replicas of the primary, promoted by Sentinel. */
  readonly replicas: readonly InventoryServer[];
  readonly port: number;
  /** The allkeys-lru cache instance; undefined with `redis.instances: 1`. */
  readonly cache: { readonly server: InventoryServer; readonly port: number } | undefined;
  readonly sentinels: readonly InventoryServer[];
}

/**
 * The inventory seen as a fleet: which server does what. Renderers read this,
 * never the raw role lists, so "where does the cache run" is decided once.
 */
export interface Fleet {
  readonly inventory: Inventory;
  readonly apps: readonly InventoryApp[];
  readonly servers: readonly InventoryServer[];
  readonly lbs: readonly InventoryServer[];
  readonly https: readonly InventoryServer[];
  readonly workers: readonly InventoryServer[];
  /** lb when HAProxy is in front (TLS ends there), http when nginx faces the internet. */
  readonly edge: "lb" | "http";
  readonly redis: RedisTopology;
  readonly mysql: { readonly primary: InventoryServer; readonly replicas: readonly InventoryServer[] };
  /** Every database MARG uses: the apps' own, then RBAC and business (deduplicated). */
  readonly databases: readonly string[];
  readonly certificateDir: string;
  readonly haproxyCertificate: string;
}

export function hasRole(server: InventoryServer, role: Role): boolean {
  return server.roles.includes(role);
}

/** Only reachable from itself (the phase 1 laptop): no firewall, no public certificate. */
export function isLoopback(server: InventoryServer): boolean {
  return server.address.startsWith("127.") || server.address === "::1";
}

/** Servers that run MARG code (apps or workers) and so need .env.shared. */
export function runsMarg(server: InventoryServer): boolean {
  return hasRole(server, "http") || hasRole(server, "worker");
}

/** `flow.marg.test`. */
export function appHost(fleet: Fleet, app: InventoryApp): string {
  return `${app.name}.${fleet.inventory.domain}`;
}

/** `https://flow.marg.test` once TLS is on, else http. */
export function appUrl(fleet: Fleet, app: InventoryApp): string {
  return `${fleet.inventory.tls.enabled ? "https" : "http"}://${appHost(fleet, app)}`;
}

/** Where Prometheus runs: `monitoring.server`, else the first http server, else the first server. */
export function monitoringServer(fleet: Fleet): InventoryServer {
  const named = fleet.inventory.monitoring.server;
  const server = fleet.servers.find((each) => each.name === named) ?? fleet.https[0] ?? fleet.servers[0];
  if (server === undefined) throw new Error("the fleet has no servers; validate the inventory first");
  return server;
}

/** Worker processes on a server: its own override, else the fleet's `workers.processes`. */
export function workerProcesses(fleet: Fleet, server: InventoryServer): number {
  return hasRole(server, "worker") ? (server.workerProcesses ?? fleet.inventory.workers.processes) : 0;
}

/** The queues `server`'s workers serve, first served first: its own list, else the fleet's. */
export function workerQueues(fleet: Fleet, server: InventoryServer): readonly string[] {
  return server.workerQueues ?? fleet.inventory.workers.queues;
}

/** A path option that may hold `{server}` (install.logDir, supervisorSocket…), for one server. */
export function pathFor(template: string, server: InventoryServer): string {
  return template.replaceAll("{server}", server.name);
}

/**
 * The address nginx and the apps listen on: every address (nginx) and
 * loopback (apps) on a real fleet; the server's own address when the whole
 * fleet shares one machine (singleHost), so servers do not collide.
 */
export function listenAddress(fleet: Fleet, server: InventoryServer): string | undefined {
  return fleet.inventory.singleHost ? server.address : undefined;
}

/** The checkout holding packages/cli/bin/marg-compiled.js (install.code, else install.root). */
export function codeDir(fleet: Fleet): string {
  return fleet.inventory.install.code ?? fleet.inventory.install.root;
}

function first(servers: readonly InventoryServer[], role: string): InventoryServer {
  const server = servers[0];
  if (server === undefined) throw new Error(`no server has role ${role}; validate the inventory first`);
  return server;
}

/**
 * Builds the fleet view of a validated inventory (checkInventory has made sure
 * every role it needs is present exactly as often as it must be).
 */
export function resolveFleet(inventory: Inventory): Fleet {
  const withRole = (role: Role) => inventory.servers.filter((server) => hasRole(server, role));
  const redisServers = withRole("redis");
  const redisPrimary = first(redisServers, "redis");
  const cacheServer = withRole("redis-cache")[0] ?? redisPrimary;
  const mysqlPrimary = first(withRole("mysql-primary"), "mysql-primary");
  const lbs = withRole("lb");
  const databases = [
    ...new Set([
      ...inventory.apps.map((app) => app.database),
      inventory.mysql.rbacDatabase,
      inventory.mysql.businessDatabase,
    ]),
  ];
  return {
    inventory,
    apps: inventory.apps,
    servers: inventory.servers,
    lbs,
    https: withRole("http"),
    workers: withRole("worker"),
    edge: lbs.length > 0 ? "lb" : "http",
    redis: {
      primary: redisPrimary,
      replicas: redisServers.slice(1),
      port: inventory.redis.port,
      cache:
        inventory.redis.instances === 2
          ? { server: cacheServer, port: inventory.redis.cache.port }
          : undefined,
      sentinels: withRole("sentinel"),
    },
    mysql: { primary: mysqlPrimary, replicas: withRole("mysql-replica") },
    databases,
    certificateDir: inventory.tls.certificateDir ?? `/etc/letsencrypt/live/${inventory.domain}`,
    haproxyCertificate: inventory.tls.haproxyCertificate ?? `/etc/haproxy/certs/${inventory.domain}.pem`,
  };
}
