import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { ThrottleStore } from "../../auth/types.js";

/**
 * A @fastify/rate-limit store over MARG's shared throttle store: Redis (one Lua
 * INCR + PEXPIRE per hit) when Redis is configured, else the `login_attempts` table
 * of the RBAC database (SQLite or MySQL, one atomic upsert). Either way every
 * process of the installation counts into the same window, which the plugin's
 * default in-memory store cannot do.
 */
export function throttleRateLimitStore(throttle: ThrottleStore): FastifyRateLimitStoreCtor {
  return class ThrottleRateLimitStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow?: number,
    ): void {
      throttle.hit(key, timeWindow ?? 60_000).then(
        (counter) => callback(null, { current: counter.count, ttl: counter.resetInMs }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    // One store for every limit: each limit's keys carry its own name.
    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
