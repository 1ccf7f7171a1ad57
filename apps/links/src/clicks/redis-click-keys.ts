import type { RedisConnections } from "@marg/core/redis";

/**
 * The Redis keys of click counting, all under REDIS_PREFIX:
 * - `links:clicks:live`: the hash the redirect increments (field = cell, value = count);
 * - `links:clicks:flush:<id>`: a live hash renamed away by one flush;
 * - `links:clicks:flushing`: the set of flush hashes not yet deleted (a crashed flush's are retried).
 */
export interface RedisClickKeys {
  readonly live: string;
  readonly flushing: string;
  flushKey(flushId: string): string;
  flushIdOf(flushKey: string): string;
}

export function redisClickKeys(redis: Pick<RedisConnections, "prefixed">): RedisClickKeys {
  const flushPrefix = redis.prefixed("links:clicks:flush:");
  return {
    live: redis.prefixed("links:clicks:live"),
    flushing: redis.prefixed("links:clicks:flushing"),
    flushKey: (flushId) => `${flushPrefix}${flushId}`,
    flushIdOf: (flushKey) => flushKey.slice(flushPrefix.length),
  };
}
