import { createRedisConnections, type RedisConnections } from "@marg/core/redis";
import { TEST_REDIS } from "@marg/core/testing";
import { pino } from "pino";

/** The platform's kind of Redis connections to the test Redis, under `prefix`. */
export function openScratchRedisAt(prefix: string): RedisConnections {
  return createRedisConnections(
    {
      host: TEST_REDIS.host,
      port: TEST_REDIS.port,
      password: undefined,
      db: 0,
      sentinels: [],
      sentinelService: "",
      sentinelPassword: undefined,
      prefix,
    },
    { logger: pino({ level: "silent" }) },
  );
}
