import { isIP } from "node:net";
import { ENV_NAMES } from "@marg/core/config";
import { MARG_QUEUES } from "@marg/core/queue";
import { resolveFleet } from "../fleet/fleet.js";
import { listenersOf } from "../fleet/fleet-listeners.js";
import { closestWord, type InventoryIssue } from "./inventory-issue.js";
import type { Inventory } from "./inventory-schema.js";
import { checkMonitoring } from "./monitoring-checks.js";
import { checkRoles } from "./role-checks.js";

/** .env.shared lines the renderer derives from servers and secrets; `env:` may not set them. */
export const RENDERED_ENV_NAMES: ReadonlySet<string> = new Set([
  "APP_KEY",
  "APP_ENV",
  "APP_URL",
  "MARG_APPS",
  "MARG_DOMAIN",
  "HOST",
  "PORT",
  "SHUTDOWN_TIMEOUT",
  "SESSION_DRIVER",
  "SESSION_DOMAIN",
  "REDIS_HOST",
  "REDIS_PORT",
  "REDIS_PASSWORD",
  "REDIS_SENTINELS",
  "REDIS_SENTINEL_SERVICE",
  "REDIS_SENTINEL_PASSWORD",
  "CACHE_STORE",
  "CACHE_REDIS_HOST",
  "CACHE_REDIS_PORT",
  "CACHE_REDIS_PASSWORD",
  "DB_CONNECTION",
  "DB_HOST",
  "DB_PORT",
  "DB_DATABASE",
  "DB_USERNAME",
  "DB_PASSWORD",
  "DB_READ_HOSTS",
  "DB_POOL_SIZE",
  "RBAC_DB_DRIVER",
  "RBAC_DB_HOST",
  "RBAC_DB_PORT",
  "RBAC_DB_DATABASE",
  "RBAC_DB_USERNAME",
  "RBAC_DB_PASSWORD",
  "BUSINESS_DB_DATABASE",
  "QUEUE_CONNECTION",
  "MAIL_MAILER",
  "MAIL_HOST",
  "MAIL_PORT",
  "MAIL_USERNAME",
  "MAIL_PASSWORD",
  "MAIL_ENCRYPTION",
  "METRICS_TOKEN",
  "WORKER_METRICS_PORT",
  "WORKER_METRICS_HOST",
  "WORKER_INDEX",
]);

export interface InventoryCheck {
  readonly issues: InventoryIssue[];
  readonly warnings: InventoryIssue[];
}

function checkUnique(
  inventory: Inventory,
  issues: InventoryIssue[],
  list: "servers" | "apps",
  key: "name" | "address" | "port",
  fix: string,
) {
  const seen = new Map<string, number>();
  inventory[list].forEach((item, index) => {
    const value = String((item as Record<string, unknown>)[key]);
    const earlier = seen.get(value);
    if (earlier === undefined) seen.set(value, index);
    else
      issues.push({
        path: [list, index, key],
        problem: `${value} is already used by ${list}[${earlier}]`,
        fix,
      });
  });
}

function checkSizes(inventory: Inventory, issues: InventoryIssue[], warnings: InventoryIssue[]) {
  const { mysql, workers } = inventory;
  const users = [mysql.appUser, mysql.backupUser, mysql.replicationUser];
  if (new Set(users).size !== users.length)
    issues.push({
      path: ["mysql"],
      problem: "appUser, backupUser and replicationUser must differ",
      fix: "give each its own name",
    });
  inventory.servers.forEach((server, index) => {
    const processes = server.roles.includes("worker") ? (server.workerProcesses ?? workers.processes) : 0;
    if (processes > 0 && server.memory / processes < 150)
      warnings.push({
        path: ["servers", index, "memory"],
        problem: `${server.memory}M for ${processes} worker processes leaves under 150M each`,
        fix: "lower workerProcesses or give the server more memory",
      });
  });
}

function checkAddresses(inventory: Inventory, issues: InventoryIssue[]) {
  // singleHost: the whole fleet is this one machine, so loopback is the point.
  if (inventory.servers.length < 2 || inventory.singleHost) return;
  inventory.servers.forEach((server, index) => {
    const loopback =
      isIP(server.address) === 4 ? server.address.startsWith("127.") : server.address === "::1";
    if (loopback)
      issues.push({
        path: ["servers", index, "address"],
        problem: `${server.address} is a loopback address, which other servers cannot reach`,
        fix: "use the server's private address (or set singleHost: true to run every server on this machine)",
      });
  });
}

/**
 * Every worker serves at least one queue, and every queue MARG dispatches to
 * is served by some worker: a job on a queue nobody serves never runs.
 */
function checkQueues(inventory: Inventory, issues: InventoryIssue[], warnings: InventoryIssue[]) {
  const served = new Set<string>();
  const known: readonly string[] = MARG_QUEUES;
  const check = (queues: readonly string[], path: (string | number)[]) => {
    if (queues.length === 0)
      issues.push({
        path,
        problem: "is empty, so these workers would serve no queue at all",
        fix: `list the queues to serve, e.g. [${MARG_QUEUES.join(", ")}], or remove the key`,
      });
    queues.forEach((queue, index) => {
      if (!known.includes(queue)) {
        const guess = closestWord(queue, known);
        warnings.push({
          path: [...path, index],
          problem: `no MARG job is dispatched to queue "${queue}"`,
          fix: guess === undefined ? `MARG's queues: ${known.join(", ")}` : `did you mean ${guess}?`,
        });
      }
    });
  };
  const workerServers = inventory.servers
    .map((server, index) => ({ server, index }))
    .filter(({ server }) => server.roles.includes("worker"));
  if (workerServers.some(({ server }) => server.workerQueues === undefined))
    check(inventory.workers.queues, ["workers", "queues"]);
  for (const { server, index } of workerServers) {
    const queues = server.workerQueues ?? inventory.workers.queues;
    if (server.workerQueues !== undefined) check(server.workerQueues, ["servers", index, "workerQueues"]);
    for (const queue of queues) served.add(queue);
  }
  if (workerServers.length === 0) return;
  const unserved = known.filter((queue) => !served.has(queue));
  if (unserved.length > 0)
    issues.push({
      path: ["workers", "queues"],
      problem: `no worker serves ${unserved.map((queue) => `"${queue}"`).join(", ")}, so those jobs would never run`,
      fix: "add them to workers.queues or to some server's workerQueues",
    });
}

/** A production fleet says how mail leaves; smtp needs a host. */
function checkMail(inventory: Inventory, issues: InventoryIssue[]) {
  const { mail } = inventory;
  if (mail === undefined && inventory.environment === "production")
    issues.push({
      path: ["mail"],
      problem:
        "is missing, so production mail (password resets) would be written to .eml files on the server",
      fix: "add mail: { host: smtp.example.com, username: … } (MAIL_PASSWORD goes in secrets.env), or mail: { mailer: log } to keep them",
    });
  if (mail?.mailer === "smtp" && mail.host === undefined)
    issues.push({
      path: ["mail", "host"],
      problem: "is missing while mailer is smtp",
      fix: "name the SMTP server, e.g. host: smtp.example.com",
    });
}

function checkEnv(inventory: Inventory, issues: InventoryIssue[]) {
  for (const name of Object.keys(inventory.env)) {
    if (RENDERED_ENV_NAMES.has(name)) {
      const mail = name.startsWith("MAIL_");
      issues.push({
        path: ["env", name],
        problem: mail
          ? "is rendered from the inventory's mail: section (and MAIL_PASSWORD from secrets.env)"
          : "is rendered from the servers, apps and generated secrets",
        fix: mail ? "remove it; set it under mail: instead" : "remove it; change servers/redis/mysql instead",
      });
    } else if (!ENV_NAMES.includes(name)) {
      const guess = closestWord(name, ENV_NAMES);
      issues.push({
        path: ["env", name],
        problem: "is not a variable MARG reads",
        fix: guess === undefined ? "remove it" : `did you mean ${guess}?`,
      });
    }
  }
}

function checkPorts(inventory: Inventory, issues: InventoryIssue[]) {
  const fleet = resolveFleet(inventory);
  for (const server of fleet.servers) {
    const byPort = new Map<number, string>();
    byPort.set(inventory.ssh.port, "SSH");
    for (const listener of listenersOf(fleet, server)) {
      const taken = byPort.get(listener.port);
      if (taken === undefined) byPort.set(listener.port, listener.service);
      else
        issues.push({
          path: listener.path,
          problem: `port ${listener.port} on "${server.name}" is wanted by both ${taken} and ${listener.service}`,
          fix: "give one of them another port, or move a role to another server",
        });
    }
  }
}

/** Checks what a schema cannot: duplicates, missing or contradictory roles, port collisions. */
export function checkInventory(inventory: Inventory): InventoryCheck {
  const issues: InventoryIssue[] = [];
  const warnings: InventoryIssue[] = [];
  checkUnique(inventory, issues, "servers", "name", "give each server its own name");
  checkUnique(inventory, issues, "servers", "address", "give each server its own address");
  checkUnique(inventory, issues, "apps", "name", "list each app once");
  checkUnique(inventory, issues, "apps", "port", "give each app its own port");
  checkRoles(inventory, issues, warnings);
  checkAddresses(inventory, issues);
  checkSizes(inventory, issues, warnings);
  checkEnv(inventory, issues);
  checkQueues(inventory, issues, warnings);
  checkMail(inventory, issues);
  if (issues.length === 0) checkMonitoring(inventory, issues);
  // Ports are only meaningful once every role the fleet view needs is there.
  if (issues.length === 0) checkPorts(inventory, issues);
  return { issues, warnings };
}
