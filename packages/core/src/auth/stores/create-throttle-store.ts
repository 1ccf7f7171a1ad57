import type { Kysely } from "kysely";
import type { AuthDatabase } from "../auth-schema.js";
import type { Clock, ThrottleStore } from "../types.js";
import type { ThrottleRedisClient } from "./redis-throttle-store.js";

export type ThrottleStoreOptions =
  | { readonly driver: "redis"; readonly redis: ThrottleRedisClient; readonly prefix: string }
  | { readonly driver: "database"; readonly db: Kysely<AuthDatabase>; readonly clock?: Clock };

/**
 * The throttle store for a driver name, loading only that driver's module.
 *
 * @example
 * const throttle = await createThrottleStore(
 *   config.redis.required
 *     ? { driver: "redis", redis, prefix: `${config.redis.prefix}auth_throttle:` }
 *     : { driver: "database", db: rbac },
 * );
 */
export async function createThrottleStore(options: ThrottleStoreOptions): Promise<ThrottleStore> {
  if (options.driver === "redis") {
    const { RedisThrottleStore } = await import("./redis-throttle-store.js");
    return new RedisThrottleStore(options.redis, { prefix: options.prefix });
  }
  const { DatabaseThrottleStore } = await import("./database-throttle-store.js");
  return new DatabaseThrottleStore(options.db, options.clock === undefined ? {} : { clock: options.clock });
}
