import type { Fleet } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import type { FleetSecrets } from "../secrets/fleet-secrets.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const SENTINEL_CONF = "/etc/redis/sentinel.conf";

function sentinelConf(fleet: Fleet, server: InventoryServer, secrets: FleetSecrets): string {
  const { sentinel } = fleet.inventory.redis;
  const service = sentinel.service;
  const bind = ["127.0.0.1", "-::1", server.address].filter(
    (address, index, all) => all.indexOf(address) === index,
  );
  return lines(
    header(
      fleet,
      `Redis Sentinel on ${server.name}: one of ${fleet.redis.sentinels.length}, quorum ${sentinel.quorum}.`,
    ),
    "# Sentinel rewrites this file as the fleet changes (who is master, which",
    "# replicas and sentinels it has seen). Render it for a new sentinel; on a",
    "# running one, ask it: redis-cli -p PORT sentinel master SERVICE.",
    "",
    `bind ${bind.join(" ")}`,
    "protected-mode yes",
    `port ${sentinel.port}`,
    "pidfile /run/sentinel/redis-sentinel.pid",
    "logfile /var/log/redis/redis-sentinel.log",
    "dir /var/lib/redis",
    "",
    "# Clients (REDIS_SENTINEL_PASSWORD) and the other sentinels authenticate.",
    `requirepass ${secrets.REDIS_SENTINEL_PASSWORD}`,
    `sentinel sentinel-pass ${secrets.REDIS_SENTINEL_PASSWORD}`,
    "",
    `sentinel monitor ${service} ${fleet.redis.primary.address} ${fleet.redis.port} ${sentinel.quorum}`,
    `sentinel auth-pass ${service} ${secrets.REDIS_PASSWORD}`,
    `sentinel down-after-milliseconds ${service} ${sentinel.downAfterMilliseconds}`,
    `sentinel failover-timeout ${service} ${sentinel.failoverTimeout}`,
    `sentinel parallel-syncs ${service} ${sentinel.parallelSyncs}`,
    "sentinel deny-scripts-reconfig yes",
    "sentinel resolve-hostnames no",
  );
}

/** sentinel.conf on every sentinel server. */
export function renderSentinelConfs({ fleet, secrets }: RenderInput): RenderedFile[] {
  return fleet.redis.sentinels.map((server) =>
    serverFile(server, SENTINEL_CONF, sentinelConf(fleet, server, secrets), MODE.secret, "redis:redis"),
  );
}
