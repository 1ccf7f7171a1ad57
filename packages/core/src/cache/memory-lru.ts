/**
 * A bounded in-process map with per-entry expiry and least-recently-used eviction.
 * It is synchronous on purpose: it backs the memory cache store and serves as the
 * L1 in front of shared stores, where a lookup must cost no I/O and no await.
 */
export class MemoryLru<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The live value under `key`, refreshed as most recently used; undefined when missing or expired. */
  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting moves the key to the "recent" end.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value` until `expiresAt` (epoch ms; Infinity for never), evicting the oldest entry when full. */
  set(key: string, value: T, expiresAt: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** When the entry under `key` expires (epoch ms), or undefined when there is no live one. */
  expiresAt(key: string): number | undefined {
    const entry = this.#entries.get(key);
    return entry === undefined || entry.expiresAt <= this.#now() ? undefined : entry.expiresAt;
  }

  delete(key: string): boolean {
    const live = this.expiresAt(key) !== undefined;
    this.#entries.delete(key);
    return live;
  }

  /** Removes the entries whose key starts with `prefix` (every entry when omitted). */
  clear(prefix = ""): void {
    if (prefix === "") {
      this.#entries.clear();
      return;
    }
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
