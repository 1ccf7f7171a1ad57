import type { CacheStore } from "../cache/types.js";
import type { RbacLogger } from "./types.js";

export interface RbacVersionOptions {
  readonly store: CacheStore;
  /** How often the shared version is re-read in the background. Default 250 ms. */
  readonly pollIntervalMs?: number;
  /**
   * Oldest version reading a check may trust. Past it a check re-reads the version
   * itself, and answers from the database if it cannot. Default 750 ms, which keeps
   * "a change is seen everywhere within one second" with room to spare.
   */
  readonly maxAgeMs?: number;
  readonly logger?: RbacLogger;
  readonly now?: () => number;
  /** Called when the version moves (another server changed RBAC): drop the in-process copies. */
  readonly onChange?: (version: number) => void;
}

export const RBAC_VERSION_KEY = "rbac:version";

/**
 * The shared RBAC version: one integer in the cache store that every change bumps
 * and every cache key carries, so a bump retires all cached permission sets on all
 * servers at once. Each process re-reads it every 250 ms in the background, which
 * keeps checks free of I/O. A missing version starts from the clock (never from 0),
 * so a Redis that lost the key can never bring back a number old entries still carry.
 */
export class RbacVersion {
  readonly #store: CacheStore;
  readonly #pollMs: number;
  readonly #maxAgeMs: number;
  readonly #logger: RbacLogger | undefined;
  readonly #now: () => number;
  readonly #onChange: ((version: number) => void) | undefined;
  #version: number | undefined;
  #readAt = Number.NEGATIVE_INFINITY;
  #failedAt = Number.NEGATIVE_INFINITY;
  #inOutage = false;
  /** Set when a change may not have reached the store: bump as soon as it answers again. */
  #bumpOwed = false;
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: RbacVersionOptions) {
    this.#store = options.store;
    this.#pollMs = options.pollIntervalMs ?? 250;
    this.#maxAgeMs = options.maxAgeMs ?? 750;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#onChange = options.onChange;
  }

  /** True while the store does not answer (checks read the database meanwhile). */
  get inOutage(): boolean {
    return this.#inOutage;
  }

  /**
   * The version cached entries must carry, or undefined when it cannot be known
   * recently enough: then the caller must read the database.
   */
  async current(): Promise<number | undefined> {
    this.#startPolling();
    if (this.#fresh()) return this.#version;
    // While the store is failing, only the background poll retries: checks must not each wait on it.
    if (this.#now() - this.#failedAt < this.#pollMs) return undefined;
    await this.refresh();
    return this.#fresh() ? this.#version : undefined;
  }

  /** Re-reads the version now (concurrent callers share one read). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Retires every cached permission set on every server. Never throws: a failure is owed and retried. */
  async bump(): Promise<void> {
    try {
      await this.#ensureExists();
      this.#accept(await this.#store.increment(RBAC_VERSION_KEY));
    } catch (error) {
      this.#bumpOwed = true;
      this.#fail(error);
    }
  }

  /** A cache read or write failed: treat the store as down until it answers again. */
  reportFailure(error: unknown): void {
    this.#fail(error);
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #fresh(): boolean {
    return this.#version !== undefined && this.#now() - this.#readAt <= this.#maxAgeMs;
  }

  #startPolling(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.refresh(), this.#pollMs);
    // The poll must never keep a CLI command or a finished test alive.
    this.#timer.unref();
  }

  async #read(): Promise<void> {
    try {
      if (this.#bumpOwed) {
        // Back after an outage: anything cached before or during it may predate a change.
        await this.#ensureExists();
        this.#accept(await this.#store.increment(RBAC_VERSION_KEY));
        this.#bumpOwed = false;
        return;
      }
      this.#accept(await this.#ensureExists());
    } catch (error) {
      this.#fail(error);
    }
  }

  async #ensureExists(): Promise<number> {
    const value = await this.#store.get(RBAC_VERSION_KEY);
    if (typeof value === "number" && Number.isInteger(value)) return value;
    const start = this.#now();
    if (value === undefined) await this.#store.add(RBAC_VERSION_KEY, start);
    else await this.#store.set(RBAC_VERSION_KEY, start); // garbage under our key: start afresh
    const stored = await this.#store.get(RBAC_VERSION_KEY);
    return typeof stored === "number" ? stored : start;
  }

  #accept(version: number): void {
    const changed = this.#version !== undefined && this.#version !== version;
    this.#version = version;
    this.#readAt = this.#now();
    if (this.#inOutage) {
      this.#inOutage = false;
      this.#logger?.info(
        { store: this.#store.driver },
        "RBAC cache store is back; permission checks use the cache again",
      );
    }
    if (changed) this.#onChange?.(version);
  }

  #fail(error: unknown): void {
    this.#failedAt = this.#now();
    // Anything cached may now miss a change made meanwhile: settle that once the store answers.
    this.#bumpOwed = true;
    if (this.#inOutage) return;
    this.#inOutage = true;
    this.#logger?.warn(
      { store: this.#store.driver, error: error instanceof Error ? error.message : String(error) },
      "RBAC cache store unavailable; permission checks read the database until it is back",
    );
  }
}
