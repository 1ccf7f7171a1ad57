import { MemoryLru } from "../cache/memory-lru.js";
import { csrfSecret } from "./csrf-token.js";
import { SessionFieldCodec } from "./session-codec.js";
import { verifySessionCookie } from "./session-cookie.js";
import { storeKeyOf } from "./session-id.js";
import type { SessionKeyRing } from "./session-keys.js";

/** What a verified cookie value stands for, with everything derived from its id. */
export interface VerifiedSessionCookie {
  readonly sessionId: string;
  readonly signedWithPreviousKey: boolean;
  /** SHA-256 of the id: the key the store files the session under. */
  readonly storeKey: string;
  /** The session's field codec (it holds the per-session key, derived once). */
  readonly codec: SessionFieldCodec;
  /** HMAC(csrf key, id): what this session's CSRF tokens mask (see csrf-token.ts). */
  readonly csrfSecret: Buffer;
}

/**
 * Cookie value → its verification and the keys derived from its id, for this
 * process's recent sessions. A signed-in request otherwise pays four HMAC/SHA-256
 * computations (cookie MAC, store key, per-session key, CSRF secret) whose inputs
 * are the same on every request of the session. Only values that passed
 * `verifySessionCookie` are kept, so a forged or altered cookie always takes the
 * full check; the ring is fixed for the life of the process, so a kept answer
 * never goes stale. Whether the session still exists is not cached: the store is
 * read on every request as before.
 */
export class VerifiedCookieCache {
  readonly #ring: SessionKeyRing;
  readonly #encrypt: boolean;
  readonly #entries: MemoryLru<VerifiedSessionCookie>;
  readonly #lifetimeMs: number;

  constructor(options: { ring: SessionKeyRing; encrypt: boolean; idleMs: number; maxEntries?: number }) {
    this.#ring = options.ring;
    this.#encrypt = options.encrypt;
    this.#lifetimeMs = options.idleMs;
    // ~600 bytes an entry: the default bounds it near 2.5 MB per process.
    this.#entries = new MemoryLru({ maxEntries: options.maxEntries ?? 4096 });
  }

  /** The verified session of a cookie value, or undefined when its signature does not hold. */
  verify(value: string): VerifiedSessionCookie | undefined {
    const known = this.#entries.get(value);
    if (known !== undefined) return known;
    const verified = verifySessionCookie(this.#ring, value);
    if (verified === undefined) return undefined;
    const storeKey = storeKeyOf(verified.sessionId);
    const [csrfKey] = this.#ring.csrf;
    if (csrfKey === undefined) throw new Error("the session key ring has no key");
    const entry: VerifiedSessionCookie = {
      ...verified,
      storeKey,
      codec: new SessionFieldCodec(this.#ring, this.#encrypt, storeKey),
      csrfSecret: csrfSecret(csrfKey, verified.sessionId),
    };
    this.#entries.set(value, entry, Date.now() + this.#lifetimeMs);
    return entry;
  }
}
