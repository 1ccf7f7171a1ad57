/**
 * A value the cache can hold: anything JSON can carry. Drivers that leave the
 * process (Redis, database) store it as JSON text, so a `Date` comes back as a string.
 */
export type CacheValue =
  | string
  | number
  | boolean
  | null
  | readonly CacheValue[]
  | { readonly [key: string]: CacheValue };

/** Options of a write: how long the entry lives. Omit `ttlSeconds` for an entry that never expires. */
export interface CacheSetOptions {
  /** Lifetime in seconds; fractions are kept to the millisecond. Must be > 0. */
  readonly ttlSeconds?: number;
}

/**
 * The cache contract every driver implements (redis, database, memory). Keys are
 * the caller's own names (`rbac:version`); the store adds its prefix
 * (`${REDIS_PREFIX}${CACHE_PREFIX}:`). Drivers throw `E_CACHE_UNAVAILABLE` when
 * their backend cannot be reached or answers too slowly, so callers that can
 * degrade (RBAC falls back to the database) catch that one code. An entry that
 * cannot be decoded reads as missing.
 *
 * @example
 * await cache.set("report:42", { rows: 10 }, { ttlSeconds: 60 });
 * const report = await cache.get("report:42"); // { rows: 10 } or undefined
 */
export interface CacheStore {
  /** `redis`, `database` or `memory`: shows up in logs and health output. */
  readonly driver: string;
  /** The value under `key`, or `undefined` when missing or expired. */
  get(key: string): Promise<CacheValue | undefined>;
  /** Values of several keys in one round trip, in the order asked. */
  getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]>;
  /** Writes (or replaces) one entry. */
  set(key: string, value: CacheValue, options?: CacheSetOptions): Promise<void>;
  /** Writes several entries with one lifetime, in one round trip where the backend allows. */
  setMany(entries: ReadonlyArray<readonly [string, CacheValue]>, options?: CacheSetOptions): Promise<void>;
  /** Writes only when the key is missing or expired; true when this call wrote it. */
  add(key: string, value: CacheValue, options?: CacheSetOptions): Promise<boolean>;
  /** Removes one entry; true when there was a live one. */
  delete(key: string): Promise<boolean>;
  /**
   * Adds `by` (default 1) to an integer entry atomically, across processes, and
   * returns the new value. A missing or expired key counts from 0; a live key
   * keeps its lifetime. Throws a TypeError when the entry is not an integer.
   */
  increment(key: string, by?: number): Promise<number>;
  /** Removes every entry under this store's prefix (other prefixes are untouched). */
  clear(): Promise<void>;
}

/** How long an entry lives in ms, or undefined for "forever"; rejects nonsense lifetimes. */
export function ttlMilliseconds(options: CacheSetOptions | undefined): number | undefined {
  const ttl = options?.ttlSeconds;
  if (ttl === undefined) return undefined;
  if (!Number.isFinite(ttl) || ttl <= 0) {
    throw new RangeError(`ttlSeconds must be a positive number, got ${String(ttl)}`);
  }
  return Math.max(1, Math.ceil(ttl * 1000));
}
