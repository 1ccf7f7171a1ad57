import { createHash } from "node:crypto";
import { inspect } from "node:util";
import { createKeyDeriver, deriveKey } from "../crypto/derive-key.js";
import { KEY_LABELS } from "../crypto/key-labels.js";

/** One payload-encryption master key with the short id written beside each ciphertext. */
export interface PayloadKey {
  readonly kid: string;
  readonly key: Buffer;
  /** `deriveKey(key, label)`, with HKDF's extract step done once (see createKeyDeriver). */
  readonly derive: (label: string) => Buffer;
}

/**
 * The keys the session layer derives from APP_KEY (first) and APP_PREVIOUS_KEYS
 * (after it): the current key signs and encrypts, every key still verifies and
 * decrypts. Prints as [redacted] so it cannot end up in a log by accident.
 */
export class SessionKeyRing {
  readonly #cookieMac: readonly Buffer[];
  readonly #payload: readonly PayloadKey[];
  readonly #csrf: readonly Buffer[];

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    const masters = [current, ...previous];
    this.#cookieMac = masters.map((key) => deriveKey(key, KEY_LABELS.sessionCookieMac));
    this.#csrf = masters.map((key) => deriveKey(key, KEY_LABELS.sessionCsrf));
    this.#payload = masters.map((master) => {
      const key = deriveKey(master, KEY_LABELS.sessionPayload);
      // The kid names a key without revealing it: 32 bits of a hash of the derived key.
      const kid = createHash("sha256").update("marg-session-kid:").update(key).digest("hex").slice(0, 8);
      return { kid, key, derive: createKeyDeriver(key) };
    });
  }

  /** Cookie MAC keys, current first. */
  get cookieMac(): readonly Buffer[] {
    return this.#cookieMac;
  }

  /** Payload keys, current first. */
  get payload(): readonly PayloadKey[] {
    return this.#payload;
  }

  /** CSRF keys, current first. */
  get csrf(): readonly Buffer[] {
    return this.#csrf;
  }

  toJSON(): string {
    return "[redacted]";
  }

  [inspect.custom](): string {
    return "[redacted]";
  }
}
