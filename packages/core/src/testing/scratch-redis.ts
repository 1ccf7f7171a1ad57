import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS = {
  host: process.env.MARG_TEST_REDIS_HOST ?? "127.0.0.1",
  port: Number(process.env.MARG_TEST_REDIS_PORT ?? 6379),
};

export interface ScratchRedisPrefix {
  /** A unique key prefix ending in `:`; every key of the suite starts with it. */
  readonly prefix: string;
  /** Deletes every key under the prefix (SCAN, never FLUSHDB: other suites share the server). */
  clear(): Promise<void>;
}

/** A unique Redis key prefix for one suite, so parallel suites never collide. */
export function createScratchRedisPrefix(label: string): ScratchRedisPrefix {
  const prefix = `marg_t_${label}_${randomBytes(4).toString("hex")}:`;
  return {
    prefix,
    async clear() {
      const redis = new Redis({ ...TEST_REDIS, lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          cursor = next;
          if (keys.length > 0) await redis.unlink(...keys);
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
    },
  };
}
