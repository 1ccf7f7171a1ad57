import type { Redis } from "ioredis";
import { cacheUnavailable } from "./errors.js";
import { type CacheSetOptions, type CacheStore, type CacheValue, ttlMilliseconds } from "./types.js";

export interface RedisCacheStoreOptions {
  /** The general command client (from createRedisConnections), shared with the rest of the process. */
  readonly client: Redis;
  /** Prepended to every key: `${REDIS_PREFIX}${CACHE_PREFIX}:`, e.g. `marg_database_marg:`. */
  readonly prefix: string;
  /** Longest wait for one command before it counts as an outage. Default 1000 ms. */
  readonly operationTimeoutMs?: number;
}

// Statuses in which ioredis would park a command in its offline queue until a
// reconnect that may never come; the cache answers "unavailable" at once instead.
const DOWN_STATUSES = new Set(["reconnecting", "close", "end"]);

/** Escapes glob characters so SCAN MATCH treats the prefix literally. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

function decode(text: string | null): CacheValue | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as CacheValue;
  } catch {
    return undefined;
  }
}

/**
 * The cache in Redis (CACHE_STORE=redis): shared by every server, entries expire
 * through Redis' own PX. Every key starts with the prefix, so
 * `KEYS marg_database_*` shows the cache next to sessions and queues.
 */
export class RedisCacheStore implements CacheStore {
  readonly driver = "redis";
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor(options: RedisCacheStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix;
    this.#timeoutMs = options.operationTimeoutMs ?? 1000;
  }

  async get(key: string): Promise<CacheValue | undefined> {
    return decode(await this.#run((redis) => redis.get(this.#prefix + key)));
  }

  async getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]> {
    if (keys.length === 0) return [];
    const texts = await this.#run((redis) => redis.mget(keys.map((key) => this.#prefix + key)));
    return texts.map(decode);
  }

  async set(key: string, value: CacheValue, options?: CacheSetOptions): Promise<void> {
    const ttl = ttlMilliseconds(options);
    const text = JSON.stringify(value);
    await this.#run((redis) =>
      ttl === undefined
        ? redis.set(this.#prefix + key, text)
        : redis.set(this.#prefix + key, text, "PX", ttl),
    );
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, CacheValue]>,
    options?: CacheSetOptions,
  ): Promise<void> {
    if (entries.length === 0) return;
    const ttl = ttlMilliseconds(options);
    const results = await this.#run((redis) => {
      const pipeline = redis.pipeline();
      for (const [key, value] of entries) {
        const text = JSON.stringify(value);
        if (ttl === undefined) pipeline.set(this.#prefix + key, text);
        else pipeline.set(this.#prefix + key, text, "PX", ttl);
      }
      return pipeline.exec();
    });
    const failed = results?.find(([error]) => error !== null);
    if (failed) throw cacheUnavailable(this.driver, failed[0]);
  }

  async add(key: string, value: CacheValue, options?: CacheSetOptions): Promise<boolean> {
    const ttl = ttlMilliseconds(options);
    const text = JSON.stringify(value);
    const reply = await this.#run((redis) =>
      ttl === undefined
        ? redis.set(this.#prefix + key, text, "NX")
        : redis.set(this.#prefix + key, text, "PX", ttl, "NX"),
    );
    return reply === "OK";
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#run((redis) => redis.unlink(this.#prefix + key))) > 0;
  }

  async increment(key: string, by = 1): Promise<number> {
    try {
      return await this.#run((redis) => redis.incrby(this.#prefix + key, by));
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof Error && cause.message.includes("not an integer")) {
        throw new TypeError(`cache key "${key}" does not hold an integer`);
      }
      throw error;
    }
  }

  async clear(): Promise<void> {
    const pattern = `${globEscape(this.#prefix)}*`;
    let cursor = "0";
    do {
      const [next, keys] = await this.#run((redis) => redis.scan(cursor, "MATCH", pattern, "COUNT", 500));
      cursor = next;
      if (keys.length > 0) await this.#run((redis) => redis.unlink(...keys));
    } while (cursor !== "0");
  }

  /** Runs one command, failing fast while Redis is down and after the timeout while it is slow. */
  async #run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    if (DOWN_STATUSES.has(this.#client.status)) {
      throw cacheUnavailable(this.driver, new Error(`connection is ${this.#client.status}`));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      return await Promise.race([command(this.#client), timeout]);
    } catch (error) {
      throw cacheUnavailable(this.driver, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
