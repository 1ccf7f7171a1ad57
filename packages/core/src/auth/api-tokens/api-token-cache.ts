import type { CacheStore, CacheValue } from "../../cache/types.js";
import type { AuthenticatedApiToken } from "./api-token-types.js";

export type { ApiTokenHolder, AuthenticatedApiToken } from "./api-token-types.js";

/**
 * The cache of `authenticate`: a live token's record and holder under the hash of the
 * token (never the token), so a bearer request is one cache read. Revoking drops the
 * entry (every revoke path goes through ApiTokenService), expiry and app limits are
 * checked on every hit, and the short lifetime bounds what a failed drop can leave.
 * Cache outages are not the token's fault: every call falls back to the database.
 */
export class ApiTokenCache {
  readonly #store: CacheStore;
  readonly #ttlSeconds: number;

  constructor(store: CacheStore, ttlSeconds: number) {
    this.#store = store;
    this.#ttlSeconds = ttlSeconds;
  }

  async read(hash: string): Promise<AuthenticatedApiToken | undefined> {
    try {
      const value = await this.#store.get(keyOf(hash));
      return isCachedToken(value) ? (value as unknown as AuthenticatedApiToken) : undefined;
    } catch {
      return undefined;
    }
  }

  async write(hash: string, token: AuthenticatedApiToken): Promise<void> {
    try {
      await this.#store.set(keyOf(hash), token as unknown as CacheValue, { ttlSeconds: this.#ttlSeconds });
    } catch {
      // The next request reads the database again.
    }
  }

  async forget(hashes: readonly string[]): Promise<void> {
    await Promise.all(
      hashes.map((hash) =>
        this.#store.delete(keyOf(hash)).catch(() => {
          // Bounded by the entry's lifetime: the revoked token works at most that long.
        }),
      ),
    );
  }
}

const keyOf = (hash: string) => `api-token:${hash}`;

function isCachedToken(value: CacheValue | undefined): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, CacheValue>;
  return (
    typeof record.id === "number" && typeof record.holder === "object" && Array.isArray(record.permissions)
  );
}
