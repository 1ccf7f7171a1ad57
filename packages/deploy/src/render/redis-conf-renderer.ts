import { type Fleet, hasRole } from "../fleet/fleet.js";
import { redisCacheMegabytes, redisMainMegabytes } from "../fleet/fleet-sizing.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { redisSize } from "../inventory/size.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

/** Debian runs the cache as `redis-server@cache`, which reads this file. */
export const REDIS_CACHE_CONF = "/etc/redis/redis-cache.conf";
export const REDIS_MAIN_CONF = "/etc/redis/redis.conf";

/**
 * Loopback plus the private address, never 0.0.0.0: a password alone is one
 * brute-force away from the internet. `-::1` is optional (Redis 7 skips it
 * where IPv6 is off).
 */
function bindLine(server: InventoryServer): string {
  const addresses = ["127.0.0.1", "-::1", server.address].filter(
    (address, index, all) => address !== "::1" && all.indexOf(address) === index,
  );
  return `bind ${addresses.join(" ")}`;
}

function mainConf(fleet: Fleet, server: InventoryServer, password: string): string {
  const { redis } = fleet;
  const paths = fleet.inventory.redis;
  const isReplica = server.name !== redis.primary.name;
  const single = redis.cache === undefined;
  return lines(
    header(
      fleet,
      `Redis for sessions and queues${single ? " (and the cache: one instance)" : ""} on ${server.name}.`,
    ),
    "",
    bindLine(server),
    "protected-mode yes",
    `port ${redis.port}`,
    "tcp-keepalive 300",
    `pidfile ${paths.runDir}/redis/redis-server.pid`,
    "loglevel notice",
    `logfile ${paths.logDir}/redis-server.log`,
    "",
    `requirepass ${password}`,
    "# Every node can become master under Sentinel, so every node knows the password.",
    `masterauth ${password}`,
    isReplica && `replicaof ${redis.primary.address} ${redis.port}`,
    "replica-read-only yes",
    "",
    "# noeviction: BullMQ's production guide calls it the only safe policy for queues;",
    "# with allkeys-lru a full Redis silently drops queued jobs and live sessions.",
    "# When full, writes fail loudly (and /health reports it) instead.",
    `maxmemory ${redisSize(redisMainMegabytes(fleet))}`,
    "maxmemory-policy noeviction",
    "",
    "# RDB snapshots (the seed's schedule) plus the append-only file, fsynced every",
    "# second: at most one second of sessions and jobs is lost in a crash.",
    "save 900 1",
    "save 300 10",
    "save 60 10000",
    "stop-writes-on-bgsave-error yes",
    "dbfilename dump.rdb",
    `dir ${paths.dataDir}`,
    "appendonly yes",
    'appendfilename "appendonly.aof"',
    "appendfsync everysec",
    "aof-use-rdb-preamble yes",
  );
}

function cacheConf(fleet: Fleet, server: InventoryServer, password: string, port: number): string {
  const paths = fleet.inventory.redis;
  return lines(
    header(fleet, `Redis for the cache on ${server.name}: evicts least-recently-used keys when full.`),
    "",
    bindLine(server),
    "protected-mode yes",
    `port ${port}`,
    "tcp-keepalive 300",
    `pidfile ${paths.runDir}/redis-cache/redis-server.pid`,
    "loglevel notice",
    `logfile ${paths.logDir}/redis-server-cache.log`,
    "",
    `requirepass ${password}`,
    "",
    "# Only cached values live here, so evicting is safe and no persistence is needed.",
    `maxmemory ${redisSize(redisCacheMegabytes(fleet, server))}`,
    "maxmemory-policy allkeys-lru",
    'save ""',
    "appendonly no",
    "dbfilename dump-cache.rdb",
    `dir ${paths.dataDir}`,
  );
}

/** Redis forks to write RDB/AOF; without overcommit that fork fails on a busy server. */
function sysctlConf(fleet: Fleet): string {
  return lines(header(fleet, "Kernel setting Redis asks for at start-up."), "vm.overcommit_memory = 1");
}

/** redis.conf on each redis server, redis-cache.conf where the cache runs. */
export function renderRedisConfs({ fleet, secrets }: RenderInput): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const server of fleet.servers) {
    const main = hasRole(server, "redis");
    const cache = fleet.redis.cache?.server.name === server.name ? fleet.redis.cache : undefined;
    if (main) {
      const content = mainConf(fleet, server, secrets.REDIS_PASSWORD);
      files.push(serverFile(server, REDIS_MAIN_CONF, content, MODE.secret, "redis:redis"));
    }
    if (cache !== undefined) {
      const content = cacheConf(fleet, server, secrets.CACHE_REDIS_PASSWORD, cache.port);
      files.push(serverFile(server, REDIS_CACHE_CONF, content, MODE.secret, "redis:redis"));
    }
    if (main || cache !== undefined) {
      files.push(serverFile(server, "/etc/sysctl.d/60-marg-redis.conf", sysctlConf(fleet), MODE.config));
    }
  }
  return files;
}
