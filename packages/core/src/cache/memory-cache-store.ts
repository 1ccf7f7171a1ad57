import { MemoryLru } from "./memory-lru.js";
import { type CacheSetOptions, type CacheStore, type CacheValue, ttlMilliseconds } from "./types.js";

/**
 * The cache inside one process (CACHE_STORE=memory): for a single-process laptop
 * and tests. Each process has its own, so nothing written here is seen by another
 * server — use `redis` or `database` as soon as there are two processes.
 * Values are stored as JSON text, like the shared drivers, so a caller can never
 * change a cached value by mutating what it got back.
 */
export class MemoryCacheStore implements CacheStore {
  readonly driver = "memory";
  readonly #entries: MemoryLru<string>;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(options: { prefix?: string; maxEntries?: number; now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#entries = new MemoryLru<string>({ maxEntries: options.maxEntries ?? 50_000, now: this.#now });
    this.#prefix = options.prefix ?? "";
  }

  async get(key: string): Promise<CacheValue | undefined> {
    const text = this.#entries.get(this.#prefix + key);
    return text === undefined ? undefined : (JSON.parse(text) as CacheValue);
  }

  async getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  async set(key: string, value: CacheValue, options?: CacheSetOptions): Promise<void> {
    this.#entries.set(this.#prefix + key, JSON.stringify(value), this.#expiresAt(options));
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, CacheValue]>,
    options?: CacheSetOptions,
  ): Promise<void> {
    const expiresAt = this.#expiresAt(options);
    for (const [key, value] of entries)
      this.#entries.set(this.#prefix + key, JSON.stringify(value), expiresAt);
  }

  async add(key: string, value: CacheValue, options?: CacheSetOptions): Promise<boolean> {
    if (this.#entries.expiresAt(this.#prefix + key) !== undefined) return false;
    await this.set(key, value, options);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    return this.#entries.delete(this.#prefix + key);
  }

  async increment(key: string, by = 1): Promise<number> {
    const full = this.#prefix + key;
    const expiresAt = this.#entries.expiresAt(full) ?? Number.POSITIVE_INFINITY;
    const current = this.#entries.get(full);
    const next = (current === undefined ? 0 : toInteger(current, key)) + by;
    this.#entries.set(full, String(next), expiresAt);
    return next;
  }

  async clear(): Promise<void> {
    this.#entries.clear(this.#prefix);
  }

  #expiresAt(options: CacheSetOptions | undefined): number {
    const ttl = ttlMilliseconds(options);
    return ttl === undefined ? Number.POSITIVE_INFINITY : this.#now() + ttl;
  }
}

function toInteger(text: string, key: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new TypeError(`cache key "${key}" does not hold an integer`);
  return value;
}
