import type { Redis } from "ioredis";
import type { ThrottleCounter, ThrottleStore } from "../types.js";
import { guardThrottleStore } from "./throttle-store-error.js";

/** The commands the store uses; a Cluster or Sentinel-backed client fits as well. */
export type ThrottleRedisClient = Pick<Redis, "eval" | "del">;

// Lua runs atomically on the Redis server, so INCR and PEXPIRE cannot be split by a
// crash or another server's hit. A key found without a TTL (left by a crash between
// commands of an older client) gets one, so no counter can lock an account forever.
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

const PEEK = `
local value = redis.call('GET', KEYS[1])
if not value then return false end
return {tonumber(value), redis.call('PTTL', KEYS[1])}`;

// DECR keeps the key's TTL, so a release never extends the window.
const RELEASE = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * Throttle counters in Redis, one key per counter under `prefix`, shared by every
 * server that uses the same Redis.
 *
 * @example
 * const store = new RedisThrottleStore(redis, { prefix: `${config.redis.prefix}auth_throttle:` });
 */
export class RedisThrottleStore implements ThrottleStore {
  readonly #redis: ThrottleRedisClient;
  readonly #prefix: string;

  constructor(redis: ThrottleRedisClient, options: { prefix: string }) {
    this.#redis = redis;
    this.#prefix = options.prefix;
  }

  hit(key: string, windowMs: number): Promise<ThrottleCounter> {
    return guardThrottleStore("Redis", async () => {
      const reply = await this.#redis.eval(HIT, 1, this.#prefix + key, Math.max(1, Math.ceil(windowMs)));
      return toCounter(reply) ?? { count: 1, resetInMs: windowMs };
    });
  }

  peek(key: string): Promise<ThrottleCounter | null> {
    return guardThrottleStore("Redis", async () =>
      toCounter(await this.#redis.eval(PEEK, 1, this.#prefix + key)),
    );
  }

  release(key: string): Promise<void> {
    return guardThrottleStore("Redis", async () => {
      await this.#redis.eval(RELEASE, 1, this.#prefix + key);
    });
  }

  clear(key: string): Promise<void> {
    return guardThrottleStore("Redis", async () => {
      await this.#redis.del(this.#prefix + key);
    });
  }
}

function toCounter(reply: unknown): ThrottleCounter | null {
  if (!Array.isArray(reply)) return null;
  const count = Number(reply[0]);
  if (!(count > 0)) return null;
  return { count, resetInMs: Math.max(0, Number(reply[1])) };
}
