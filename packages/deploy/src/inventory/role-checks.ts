import { hasRole } from "../fleet/fleet.js";
import type { InventoryIssue } from "./inventory-issue.js";
import type { Inventory, Role } from "./inventory-schema.js";

/**
 * Which roles a fleet must have, how often, and which combinations make no
 * sense: the checks behind "a replica without a primary" and "phase 4 without
 * three sentinels".
 */
export function checkRoles(inventory: Inventory, issues: InventoryIssue[], warnings: InventoryIssue[]) {
  const count = (role: Role) => inventory.servers.filter((server) => hasRole(server, role)).length;
  const need = (role: Role, what: string) => {
    if (count(role) === 0)
      issues.push({
        path: ["servers"],
        problem: `no server has role ${role}`,
        fix: `add "${role}" to ${what}`,
      });
  };
  need("http", "the roles of the server that runs the apps");
  need("redis", "the roles of the server that runs Redis");
  if (count("mysql-replica") > 0 && count("mysql-primary") === 0) {
    const index = inventory.servers.findIndex((server) => hasRole(server, "mysql-replica"));
    issues.push({
      path: ["servers", index, "roles"],
      problem: "a mysql-replica needs a server with role mysql-primary to replicate from",
      fix: 'add "mysql-primary" to the roles of the server that takes the writes',
    });
  } else {
    need("mysql-primary", "the roles of the MySQL server");
  }
  if (count("mysql-primary") > 1)
    issues.push({
      path: ["servers"],
      problem: `${count("mysql-primary")} servers have role mysql-primary`,
      fix: "keep one primary; make the others mysql-replica",
    });
  inventory.servers.forEach((server, index) => {
    if (hasRole(server, "mysql-primary") && hasRole(server, "mysql-replica"))
      issues.push({
        path: ["servers", index, "roles"],
        problem: "is both mysql-primary and mysql-replica",
        fix: "keep one of the two",
      });
    if (new Set(server.roles).size !== server.roles.length)
      issues.push({
        path: ["servers", index, "roles"],
        problem: "lists a role twice",
        fix: "remove the repeat",
      });
  });
  const sentinels = count("sentinel");
  const quorum = inventory.redis.sentinel.quorum;
  if (inventory.phase === 4 && sentinels < 3) {
    issues.push({
      path: ["servers"],
      problem: `phase 4 needs at least 3 servers with role sentinel (quorum ${quorum}); found ${sentinels}`,
      fix: 'add "sentinel" to the roles of three servers (usually the three redis servers)',
    });
  } else if (sentinels > 0 && sentinels < 3) {
    issues.push({
      path: ["servers"],
      problem: `${sentinels} sentinel(s) cannot survive the loss of one`,
      fix: "run at least 3 sentinels",
    });
  } else if (sentinels > 0 && quorum > sentinels) {
    issues.push({
      path: ["redis", "sentinel", "quorum"],
      problem: `${quorum} is more than the ${sentinels} sentinels`,
      fix: `set it to ${Math.floor(sentinels / 2) + 1}`,
    });
  }
  if (count("redis") > 1 && sentinels === 0)
    issues.push({
      path: ["servers"],
      problem: `${count("redis")} servers have role redis but none has role sentinel, so nothing would promote a replica`,
      fix: 'add "sentinel" to three servers, or keep one redis server',
    });
  if (count("redis-cache") > 1)
    issues.push({
      path: ["servers"],
      problem: "more than one server has role redis-cache",
      fix: "keep one cache server",
    });
  if (count("redis-cache") > 0 && inventory.redis.instances === 1)
    issues.push({
      path: ["redis", "instances"],
      problem: "is 1 but a server has role redis-cache",
      fix: "set redis.instances: 2 or drop the redis-cache role",
    });
  if (count("http") > 1 && count("lb") === 0)
    issues.push({
      path: ["servers"],
      problem: `${count("http")} http servers need a load balancer in front`,
      fix: 'give one more server the role "lb" (HAProxy)',
    });
  if (inventory.phase >= 3 && count("lb") === 0)
    issues.push({
      path: ["phase"],
      problem: `phase ${inventory.phase} puts HAProxy in front of the http servers, but no server has role lb`,
      fix: 'add a server with role "lb"',
    });
  if (count("worker") === 0)
    warnings.push({
      path: ["servers"],
      problem: "no server has role worker, so queued jobs (mail, images, reports) never run",
      fix: 'add "worker" to a server',
    });
  if (inventory.redis.instances === 1)
    warnings.push({
      path: ["redis", "instances"],
      problem:
        "one Redis instance: the cache shares the noeviction instance with sessions and queues, so a full Redis refuses cache writes instead of evicting",
      fix: "keep redis.instances: 2 (the default) so the cache gets its own allkeys-lru instance",
    });
}
