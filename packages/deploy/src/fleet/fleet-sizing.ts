import type { InventoryServer } from "../inventory/inventory-schema.js";
import { type Fleet, hasRole, workerProcesses } from "./fleet.js";

/**
 * Memory and connection budgets derived from the servers' sizes. The seed
 * gives Redis 512mb of a 1GB server and InnoDB 1G of a 2GB one: half the RAM
 * for a service that has the server to itself. Services sharing a server split
 * 60% of it by weight (MySQL 3, Redis 2, the cache 1), leaving the rest for the
 * OS, Redis's forks and any Node processes.
 */
const WEIGHTS = { mysql: 3, redis: 2, cache: 1 } as const;
type MemoryService = keyof typeof WEIGHTS;

function servicesOn(fleet: Fleet, server: InventoryServer): MemoryService[] {
  const out: MemoryService[] = [];
  if (hasRole(server, "mysql-primary") || hasRole(server, "mysql-replica")) out.push("mysql");
  if (hasRole(server, "redis")) out.push("redis");
  if (fleet.redis.cache?.server.name === server.name) out.push("cache");
  return out;
}

function share(fleet: Fleet, server: InventoryServer, service: MemoryService): number {
  const services = servicesOn(fleet, server);
  if (services.length <= 1) return Math.floor(server.memory * 0.5);
  const total = services.reduce((sum, name) => sum + WEIGHTS[name], 0);
  return Math.floor((server.memory * 0.6 * WEIGHTS[service]) / total);
}

/**
 * maxmemory of the sessions + queues instance, in MB. The same on every node:
 * a replica Sentinel promotes must hold everything its master held, so the
 * smallest node's share sets the limit for all.
 */
export function redisMainMegabytes(fleet: Fleet): number {
  const nodes = [fleet.redis.primary, ...fleet.redis.replicas];
  return fleet.inventory.redis.maxmemory ?? Math.min(...nodes.map((node) => share(fleet, node, "redis")));
}

/** maxmemory of the cache instance, in MB. */
export function redisCacheMegabytes(fleet: Fleet, server: InventoryServer): number {
  return fleet.inventory.redis.cache.maxmemory ?? share(fleet, server, "cache");
}

/** innodb_buffer_pool_size on `server`, in MB. */
export function bufferPoolMegabytes(fleet: Fleet, server: InventoryServer): number {
  return fleet.inventory.mysql.bufferPool ?? Math.max(128, share(fleet, server, "mysql"));
}

/** Every MARG process in the fleet: one per app per http server, plus the workers. */
export function margProcessCount(fleet: Fleet): { apps: number; workers: number } {
  const apps = fleet.https.length * fleet.apps.length;
  const workers = fleet.servers.reduce((sum, server) => sum + workerProcesses(fleet, server), 0);
  return { apps, workers };
}

/**
 * max_connections: each MARG process may hold a pool per database connection
 * (app, rbac, business) of DB_POOL_SIZE, plus room for admin and replication.
 * Never below the seed's 200.
 */
export function maxConnections(fleet: Fleet): { value: number; needed: number } {
  const { apps, workers } = margProcessCount(fleet);
  const needed = (apps + workers) * 3 * fleet.inventory.mysql.poolSize + 20;
  return { value: fleet.inventory.mysql.maxConnections ?? Math.max(200, needed), needed };
}
