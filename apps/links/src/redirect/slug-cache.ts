import { type CacheStore, type CacheValue, MemoryLru } from "@marg/core/cache";

/** What the redirect needs to know about a slug; `null` means "no such link". */
export type SlugTarget = { readonly id: number; readonly target: string; readonly enabled: boolean } | null;

/** Cross-process invalidation of the in-process copies (Redis pub/sub when there is Redis). */
export interface InvalidationBus {
  publish(slug: string): Promise<void>;
  subscribe(onSlug: (slug: string) => void): void;
  close(): Promise<void>;
}

export interface SlugCacheOptions {
  readonly store: CacheStore;
  readonly load: (slug: string) => Promise<SlugTarget>;
  readonly bus?: InvalidationBus | undefined;
  /** Lifetime of the in-process copy. Default 5 s: how stale another process may be if a message is lost. */
  readonly localTtlMs?: number;
  /** Lifetime in the shared cache of a link (default 1 h) and of "no such slug" (default 60 s). */
  readonly sharedTtlSeconds?: number;
  readonly missingTtlSeconds?: number;
  readonly maxLocalEntries?: number;
  readonly onStoreError?: (error: unknown) => void;
  readonly now?: () => number;
}

const KEY = (slug: string) => `links:slug:${slug}`;

function decode(value: CacheValue | undefined): SlugTarget | undefined {
  if (value === undefined || typeof value !== "object" || value === null || Array.isArray(value)) {
    return undefined;
  }
  const entry = value as Record<string, CacheValue>;
  if (entry.missing === true) return null;
  if (
    typeof entry.id === "number" &&
    typeof entry.target === "string" &&
    typeof entry.enabled === "boolean"
  ) {
    return { id: entry.id, target: entry.target, enabled: entry.enabled };
  }
  return undefined;
}

function encode(target: SlugTarget): CacheValue {
  return target === null
    ? { missing: true }
    : { id: target.id, target: target.target, enabled: target.enabled };
}

/**
 * slug → target for the redirect, in three layers: an in-process LRU (no I/O,
 * 5 s), the platform cache (Redis or the cache table, shared by every process)
 * and the links table.
 *
 * Staleness: writers put the new value in the shared cache (`publish`), and
 * readers fill it only with `add` (set-if-absent), so a reader that read the
 * database just before an edit can never overwrite the edited value. The
 * in-process copies are dropped by a message on the bus (Redis pub/sub, so every
 * process forgets within milliseconds); if a message is lost (a reconnect), the
 * 5 s lifetime bounds how long a process may still send people to an old or
 * disabled target. Without Redis there is no bus and 5 s is the bound.
 */
export class SlugCache {
  readonly #local: MemoryLru<SlugTarget>;
  readonly #inflight = new Map<string, Promise<SlugTarget>>();
  readonly #options: SlugCacheOptions;
  readonly #now: () => number;
  readonly #localTtlMs: number;

  constructor(options: SlugCacheOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#localTtlMs = options.localTtlMs ?? 5000;
    this.#local = new MemoryLru({ maxEntries: options.maxLocalEntries ?? 50_000, now: this.#now });
    options.bus?.subscribe((slug) => this.#local.delete(slug));
  }

  /** The target of `slug`; concurrent misses of one slug share a single lookup. */
  resolve(slug: string): SlugTarget | Promise<SlugTarget> {
    const local = this.#local.get(slug);
    if (local !== undefined) return local;
    let pending = this.#inflight.get(slug);
    if (pending === undefined) {
      pending = this.#fill(slug).finally(() => this.#inflight.delete(slug));
      this.#inflight.set(slug, pending);
    }
    return pending;
  }

  /** After an edit, disable or delete: the new truth goes to the shared cache, then every process forgets. */
  async publish(slug: string, target: SlugTarget): Promise<void> {
    try {
      await this.#options.store.set(KEY(slug), encode(target), { ttlSeconds: this.#ttl(target) });
    } catch (error) {
      // The shared entry may now be stale until it expires: try to remove it instead.
      this.#options.onStoreError?.(error);
      await this.#options.store.delete(KEY(slug)).catch(() => undefined);
    }
    this.#local.delete(slug);
    await this.#options.bus?.publish(slug).catch((error: unknown) => this.#options.onStoreError?.(error));
  }

  /** Forgets local copies (tests, or a bus message). */
  forgetLocal(slug?: string): void {
    if (slug === undefined) this.#local.clear();
    else this.#local.delete(slug);
  }

  async close(): Promise<void> {
    await this.#options.bus?.close();
  }

  async #fill(slug: string): Promise<SlugTarget> {
    let shared: SlugTarget | undefined;
    try {
      shared = decode(await this.#options.store.get(KEY(slug)));
    } catch (error) {
      // Cache down: the database still answers, just slower.
      this.#options.onStoreError?.(error);
    }
    if (shared === undefined) {
      shared = await this.#options.load(slug);
      try {
        await this.#options.store.add(KEY(slug), encode(shared), { ttlSeconds: this.#ttl(shared) });
      } catch (error) {
        this.#options.onStoreError?.(error);
      }
    }
    this.#local.set(slug, shared, this.#now() + this.#localTtlMs);
    return shared;
  }

  #ttl(target: SlugTarget): number {
    return target === null
      ? (this.#options.missingTtlSeconds ?? 60)
      : (this.#options.sharedTtlSeconds ?? 3600);
  }
}
