import type { InventoryServer } from "../inventory/inventory-schema.js";
import { appMetricsPort, workerMetricsPorts } from "../render/marg-processes.js";
import { type Fleet, hasRole, monitoringServer } from "./fleet.js";

/** A port a server listens on, who may reach it, and the inventory key that sets it. */
export interface Listener {
  readonly port: number;
  readonly service: string;
  /** anyone (the internet), loopback (only this server), or these servers. */
  readonly from: "anyone" | "loopback" | readonly InventoryServer[];
  /** Where the port is set in the inventory, for collision errors. */
  readonly path: readonly (string | number)[];
}

/** Port certbot's standalone server answers ACME challenges on, behind HAProxy. */
export const CERTBOT_PORT = 8888;
/** HAProxy's stats page and Prometheus exporter by default (inventory haproxy.statsPort), on loopback. */
export const HAPROXY_STATS_PORT = 8404;

/** Prometheus' own port (Debian's default), reached through an SSH tunnel. */
export const PROMETHEUS_PORT = 9090;

/** node_exporter everywhere, the apps' and workers' /metrics, open to the Prometheus server only. */
function monitoringListeners(fleet: Fleet, server: InventoryServer): Listener[] {
  const prometheus = monitoringServer(fleet);
  const from: Listener["from"] = prometheus.name === server.name ? "loopback" : [prometheus];
  const { monitoring } = fleet.inventory;
  const out: Listener[] = [
    {
      port: monitoring.nodeExporterPort,
      service: "node_exporter",
      from,
      path: ["monitoring", "nodeExporterPort"],
    },
    ...workerMetricsPorts(fleet, server).map((port) => ({
      port,
      service: `worker /metrics (${port})`,
      from,
      path: ["monitoring", "workerMetricsPort"],
    })),
    ...(hasRole(server, "http") ? fleet.apps : []).map((app) => ({
      port: appMetricsPort(fleet, app),
      service: `app ${app.name} /metrics`,
      from,
      path: ["monitoring", "appMetricsPort"],
    })),
  ];
  if (prometheus.name === server.name)
    out.push({
      port: PROMETHEUS_PORT,
      service: "Prometheus",
      from: "loopback",
      path: ["monitoring", "server"],
    });
  return out;
}

/** `servers` without `self` and without repeats (a server with two roles is one client). */
function others(servers: readonly InventoryServer[], self: InventoryServer): InventoryServer[] {
  const byName = new Map<string, InventoryServer>();
  for (const server of servers) if (server.name !== self.name) byName.set(server.name, server);
  return [...byName.values()];
}

/**
 * Everything `server` listens on. The ufw renderer opens exactly these, and
 * checkInventory refuses two services on one port.
 */
export function listenersOf(fleet: Fleet, server: InventoryServer): Listener[] {
  const { inventory, redis } = fleet;
  const clients = [...fleet.https, ...fleet.workers];
  const out: Listener[] = [];
  if (hasRole(server, "lb")) {
    const { haproxy } = inventory;
    out.push({ port: haproxy.port, service: "HAProxy (http)", from: "anyone", path: ["haproxy", "port"] });
    const https = haproxy.httpsPort;
    out.push({ port: https, service: "HAProxy (https)", from: "anyone", path: ["haproxy", "httpsPort"] });
    const stats = haproxy.statsPort;
    out.push({ port: stats, service: "HAProxy stats", from: "loopback", path: ["haproxy", "statsPort"] });
    if (fleet.lbs[0]?.name === server.name) {
      out.push({
        port: CERTBOT_PORT,
        service: "certbot",
        from: others(fleet.lbs, server),
        path: ["servers"],
      });
    }
  }
  if (hasRole(server, "http")) {
    if (fleet.edge === "http") {
      out.push({
        port: inventory.nginx.port,
        service: "nginx (http)",
        from: "anyone",
        path: ["nginx", "port"],
      });
      out.push({ port: 443, service: "nginx (https)", from: "anyone", path: ["servers"] });
    } else {
      const path = ["nginx", "port"];
      out.push({ port: inventory.nginx.port, service: "nginx (from HAProxy)", from: fleet.lbs, path });
    }
    fleet.apps.forEach((app, index) => {
      out.push({
        port: app.port,
        service: `app ${app.name}`,
        from: "loopback",
        path: ["apps", index, "port"],
      });
    });
  }
  if (hasRole(server, "redis")) {
    const from = others(
      [...clients, ...fleet.servers.filter((s) => hasRole(s, "redis")), ...redis.sentinels],
      server,
    );
    out.push({ port: redis.port, service: "Redis (sessions + queues)", from, path: ["redis", "port"] });
  }
  if (redis.cache?.server.name === server.name) {
    const path = ["redis", "cache", "port"];
    out.push({ port: redis.cache.port, service: "Redis (cache)", from: others(clients, server), path });
  }
  if (hasRole(server, "sentinel")) {
    const from = others([...clients, ...redis.sentinels], server);
    const path = ["redis", "sentinel", "port"];
    out.push({ port: inventory.redis.sentinel.port, service: "Redis Sentinel", from, path });
  }
  out.push(...monitoringListeners(fleet, server));
  if (hasRole(server, "mysql-primary") || hasRole(server, "mysql-replica")) {
    const replicas = hasRole(server, "mysql-primary") ? fleet.mysql.replicas : [];
    const from = others([...clients, ...replicas], server);
    out.push({ port: inventory.mysql.port, service: "MySQL", from, path: ["mysql", "port"] });
  }
  return out;
}
