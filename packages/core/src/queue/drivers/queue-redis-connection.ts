import { Redis, type RedisOptions } from "ioredis";
import type { RedisConnectionConfig } from "../../config/index.js";

/**
 * Opens one ioredis connection for BullMQ from `config.redis` (standalone or
 * Sentinel). Stand-in until core's redis module is wired in: swap this one
 * function for `createRedisConnections(...).bullmqConnection()`.
 *
 * `worker` connections get `maxRetriesPerRequest: null`, which BullMQ requires
 * for its blocking commands; `producer` connections give up after a couple of
 * retries so that a dispatch during an outage fails instead of hanging.
 */
export function createQueueRedisConnection(redis: RedisConnectionConfig, role: "producer" | "worker"): Redis {
  const common: RedisOptions = {
    password: redis.password?.reveal(),
    db: redis.db,
    maxRetriesPerRequest: role === "worker" ? null : 2,
    // Capped backoff: a Redis restart is ridden out, never a crash.
    retryStrategy: (times) => Math.min(times * 200, 5000),
    lazyConnect: false,
  };
  if (redis.sentinels.length > 0) {
    return new Redis({
      ...common,
      sentinels: redis.sentinels.map(({ host, port }) => ({ host, port })),
      name: redis.sentinelService,
      sentinelPassword: redis.sentinelPassword?.reveal(),
    });
  }
  return new Redis({ ...common, host: redis.host, port: redis.port });
}
