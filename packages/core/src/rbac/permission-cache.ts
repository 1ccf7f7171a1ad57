import { MemoryLru } from "../cache/memory-lru.js";
import type { CacheStore, CacheValue } from "../cache/types.js";
import { RbacVersion } from "./rbac-version.js";
import type { EffectivePermissions, RbacLogger } from "./types.js";

export interface PermissionCacheOptions {
  /** The shared store (Redis, or the cache table): every server reads what one loaded. */
  readonly store: CacheStore;
  /** RBAC_CACHE_TTL: how long a loaded permission set may be served, in seconds. */
  readonly ttlSeconds: number;
  /** In-process copies kept (least recently used go first). Default 10 000 users. */
  readonly localMaxEntries?: number;
  readonly versionPollMs?: number;
  readonly versionMaxAgeMs?: number;
  readonly logger?: RbacLogger;
  readonly now?: () => number;
  /** Told of every lookup: found in this process (`local`) or in the shared store (`shared`), or not. */
  readonly onLookup?: PermissionLookupListener;
}

/** One permission-set lookup at one cache level; `marg_rbac_cache_lookups_total` counts these. */
export type PermissionLookupListener = (level: "local" | "shared", result: "hit" | "miss") => void;

/** Reads permission sets from the database; batched so warming N users costs N/500 round trips. */
export type PermissionLoader = (userIds: readonly number[]) => Promise<Map<number, EffectivePermissions>>;

function isEffectivePermissions(value: CacheValue | undefined): value is CacheValue & EffectivePermissions {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.userId === "number" &&
    typeof entry.loadedAt === "number" &&
    Array.isArray(entry.roles) &&
    Array.isArray(entry.grants)
  );
}

/**
 * Two levels in front of the database: an in-process LRU (a warm check costs no
 * I/O at all) over the shared store (a server that has not seen the user yet asks
 * Redis, not MySQL). Keys carry the shared version, so one bump retires every
 * entry everywhere. If the store fails, answers come from the database, never errors.
 * `T` is what the process keeps locally: the compiled form that answers checks.
 */
export class PermissionCache<T> {
  readonly version: RbacVersion;
  readonly #store: CacheStore;
  readonly #ttlMs: number;
  readonly #local: MemoryLru<T>;
  readonly #load: PermissionLoader;
  readonly #compile: (permissions: EffectivePermissions) => T;
  readonly #now: () => number;
  readonly #inflight = new Map<string, Promise<T>>();
  readonly #onLookup: PermissionLookupListener;

  constructor(
    options: PermissionCacheOptions,
    load: PermissionLoader,
    compile: (permissions: EffectivePermissions) => T,
  ) {
    this.#store = options.store;
    this.#ttlMs = Math.max(1, Math.round(options.ttlSeconds * 1000));
    this.#now = options.now ?? Date.now;
    this.#onLookup = options.onLookup ?? (() => {});
    this.#local = new MemoryLru<T>({ maxEntries: options.localMaxEntries ?? 10_000, now: this.#now });
    this.#load = load;
    this.#compile = compile;
    this.version = new RbacVersion({
      store: options.store,
      ...(options.versionPollMs === undefined ? {} : { pollIntervalMs: options.versionPollMs }),
      ...(options.versionMaxAgeMs === undefined ? {} : { maxAgeMs: options.versionMaxAgeMs }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      now: this.#now,
      onChange: () => this.#local.clear(),
    });
  }

  /** The user's permissions: from this process, else the shared store, else the database (then cached). */
  async get(userId: number): Promise<T> {
    const version = await this.version.current();
    if (version === undefined) return this.#compile(await this.#loadOne(userId));
    const key = `rbac:perms:${version}:${userId}`;
    const local = this.#local.get(key);
    this.#onLookup("local", local === undefined ? "miss" : "hit");
    if (local !== undefined) return local;
    let pending = this.#inflight.get(key);
    if (pending === undefined) {
      pending = this.#fill(key, userId).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  /**
   * Loads these users from the database and writes them to the shared store, so
   * every server's first check for them skips the database. Returns how many were written
   * (0 when the store is down: warming is best-effort).
   */
  async warm(userIds: readonly number[]): Promise<number> {
    const version = await this.version.current();
    if (version === undefined || userIds.length === 0) return 0;
    const loaded = await this.#load(userIds);
    const entries = [...loaded.values()].map(
      (permissions) => [`rbac:perms:${version}:${permissions.userId}`, permissions] as const,
    );
    try {
      await this.#store.setMany(entries, { ttlSeconds: this.#ttlMs / 1000 });
      return entries.length;
    } catch (error) {
      this.version.reportFailure(error);
      return 0;
    }
  }

  /** Called after every change: every server drops what it cached. */
  async invalidate(): Promise<void> {
    this.#local.clear();
    await this.version.bump();
  }

  close(): void {
    this.version.close();
  }

  async #fill(key: string, userId: number): Promise<T> {
    try {
      const shared = await this.#store.get(key);
      const found = isEffectivePermissions(shared) && shared.userId === userId;
      this.#onLookup("shared", found ? "hit" : "miss");
      if (found) return this.#keep(key, shared);
    } catch (error) {
      this.version.reportFailure(error);
      return this.#compile(await this.#loadOne(userId));
    }
    const permissions = await this.#loadOne(userId);
    try {
      await this.#store.set(key, permissions, { ttlSeconds: this.#ttlMs / 1000 });
    } catch (error) {
      this.version.reportFailure(error);
    }
    return this.#keep(key, permissions);
  }

  /** Keeps a compiled copy until the set's own lifetime ends (counted from when it left the database). */
  #keep(key: string, permissions: EffectivePermissions): T {
    const compiled = this.#compile(permissions);
    const expiresAt = permissions.loadedAt + this.#ttlMs;
    if (expiresAt > this.#now()) this.#local.set(key, compiled, expiresAt);
    return compiled;
  }

  async #loadOne(userId: number): Promise<EffectivePermissions> {
    const loaded = await this.#load([userId]);
    return loaded.get(userId) ?? { userId, roles: [], grants: [], loadedAt: this.#now() };
  }
}
