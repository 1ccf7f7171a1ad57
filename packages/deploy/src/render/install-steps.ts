import { codeDir, type Fleet, hasRole, isLoopback, monitoringServer, runsMarg } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { CERTBOT_SCRIPT } from "./certbot-renderer.js";
import { COMPILED_LAUNCHER, margProcesses } from "./marg-processes.js";
import { SQL_DIR } from "./mysql-sql-renderer.js";
import { nginxSitePath } from "./nginx-site-renderer.js";
import { PROMETHEUS_CONF } from "./prometheus-renderer.js";
import { REDIS_MAIN_CONF } from "./redis-conf-renderer.js";
import { SENTINEL_CONF } from "./sentinel-conf-renderer.js";
import { supervisorctlCommand } from "./supervisor-renderer.js";
import { unitInstances } from "./systemd-renderer.js";
import { targetPath } from "./text.js";
import type { RenderedFile } from "./types.js";

/** Debian/Ubuntu packages a server's roles need. */
export function packagesFor(fleet: Fleet, server: InventoryServer): string[] {
  const packages = isLoopback(server) ? ["ca-certificates"] : ["ufw", "ca-certificates"];
  const firstLb = fleet.lbs[0]?.name === server.name;
  const terminatesTls = fleet.edge === "lb" ? firstLb : hasRole(server, "http");
  if (hasRole(server, "http")) packages.push("nginx");
  if (hasRole(server, "lb")) packages.push("haproxy", "socat");
  if (terminatesTls && !isLoopback(server)) packages.push("certbot");
  if (hasRole(server, "redis") || fleet.redis.cache?.server.name === server.name)
    packages.push("redis-server");
  if (hasRole(server, "sentinel")) packages.push("redis-sentinel");
  if (hasRole(server, "mysql-primary") || hasRole(server, "mysql-replica")) {
    packages.push(fleet.inventory.mysql.flavor === "mysql" ? "mysql-server" : "mariadb-server");
  }
  // CPU, memory and disk for the host alerts; Prometheus itself on the monitoring server.
  packages.push("prometheus-node-exporter");
  if (monitoringServer(fleet).name === server.name) packages.push("prometheus");
  if (runsMarg(server)) packages.push("git");
  if (runsMarg(server) && fleet.inventory.install.processManager === "supervisor")
    packages.push("supervisor");
  return [...new Set(packages)];
}

function has(files: RenderedFile[], path: string): boolean {
  return files.some((file) => targetPath(file) === path);
}

function nginxSteps(fleet: Fleet): string[] {
  const sites = ["marg-default", ...fleet.apps.map((app) => `marg-${app.name}`)];
  return [
    "rm -f /etc/nginx/sites-enabled/default",
    ...sites.map((site) => `ln -sf ${nginxSitePath(site)} /etc/nginx/sites-enabled/${site}.conf`),
    "nginx -t && systemctl reload nginx",
  ];
}

function processSteps(fleet: Fleet, server: InventoryServer): string[] {
  const { install } = fleet.inventory;
  const deployed = `[[ -f ${codeDir(fleet)}/${COMPILED_LAUNCHER} ]]`;
  if (install.processManager === "supervisor") {
    const ctl = supervisorctlCommand(fleet, server);
    return [
      `${ctl} reread`,
      `if ${deployed}; then ${ctl} update; else echo "note: deploy MARG to ${install.root}, then run: ${ctl} update"; fi`,
    ];
  }
  const units = margProcesses(fleet, server).flatMap(unitInstances);
  return [
    "systemctl daemon-reload",
    `systemctl enable marg.target ${units.join(" ")}`,
    `if ${deployed}; then systemctl restart marg.target; else echo "note: deploy MARG to ${install.root}, then run: systemctl start marg.target"; fi`,
  ];
}

/** What to do once the files are in place: enable sites and units, reload services, apply SQL. */
export function installSteps(fleet: Fleet, server: InventoryServer, files: RenderedFile[]): string[] {
  const steps: string[] = [];
  if (hasRole(server, "http")) steps.push(...nginxSteps(fleet));
  if (hasRole(server, "lb"))
    steps.push(
      "systemctl enable haproxy",
      "haproxy -c -f /etc/haproxy/haproxy.cfg && systemctl reload-or-restart haproxy",
    );
  if (files.some((file) => targetPath(file).startsWith("/etc/sysctl.d/")))
    steps.push("sysctl --system >/dev/null");
  if (hasRole(server, "redis")) steps.push("systemctl enable redis-server", "systemctl restart redis-server");
  if (has(files, "/etc/redis/redis-cache.conf"))
    steps.push("systemctl enable redis-server@cache", "systemctl restart redis-server@cache");
  if (hasRole(server, "sentinel"))
    steps.push("systemctl enable redis-sentinel", "systemctl restart redis-sentinel");
  if (files.some((file) => targetPath(file).includes("/etc/mysql/"))) {
    const service = fleet.inventory.mysql.flavor === "mysql" ? "mysql" : "mariadb";
    steps.push(`systemctl enable ${service}`, `systemctl restart ${service}`);
  }
  if (hasRole(server, "mysql-primary")) steps.push(`mysql < ${SQL_DIR}/01-databases-and-users.sql`);
  if (runsMarg(server)) steps.push(...processSteps(fleet, server));
  if (has(files, PROMETHEUS_CONF))
    steps.push(
      "systemctl enable prometheus",
      `promtool check config ${PROMETHEUS_CONF} && systemctl reload-or-restart prometheus`,
    );
  if (has(files, CERTBOT_SCRIPT) && !fleet.inventory.tls.enabled)
    steps.push(`echo "next: once DNS points here, run ${CERTBOT_SCRIPT}"`);
  return steps.length === 0 ? [] : ["", ...steps];
}

/**
 * Files Redis and Sentinel rewrite once running (they end with "# Generated by
 * CONFIG REWRITE"). After a failover they name the current master; installing
 * the rendered ones again would turn the new master back into a replica.
 */
export const REWRITTEN_BY_REDIS: readonly string[] = [REDIS_MAIN_CONF, SENTINEL_CONF];
