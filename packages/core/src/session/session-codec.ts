import { openAesGcm, sealAesGcm } from "../crypto/aes-gcm.js";
import type { PayloadKey, SessionKeyRing } from "./session-keys.js";

/** A decoded field, and whether its stored form is out of date (old key, or encryption switched). */
export interface DecodedField {
  readonly value: unknown;
  readonly stale: boolean;
}

/**
 * Turns one field value into the string a store keeps, and back:
 * - `j.<json>` when SESSION_ENCRYPT=false;
 * - `e1.<kid>.<base64url(iv ‖ ciphertext ‖ tag)>` when true: AES-256-GCM under a
 *   per-session key (HKDF of the payload key with the store key as label), with
 *   the field name as associated data, so a ciphertext moved to another session
 *   or another field does not open. A per-session key also keeps the number of
 *   random IVs under any one key tiny, far from GCM's 2^32-message limit.
 * Values written under a previous key, or in the other mode, decode as `stale`
 * and are re-encoded with the current key the next time the session is saved.
 */
export class SessionFieldCodec {
  readonly #ring: SessionKeyRing;
  readonly #encrypt: boolean;
  readonly #storeKey: string;
  readonly #sessionKeys = new Map<string, Buffer>();
  /**
   * The last ciphertext opened per field and its plaintext JSON. A codec lives as
   * long as its session's cookie stays in this process's VerifiedCookieCache, and
   * an unchanged field comes back from the store byte for byte on every request:
   * the exact same ciphertext, under the same key and associated data, can only
   * open to the same plaintext, so it is not decrypted again. Any other
   * ciphertext (changed, moved, tampered) misses and is checked in full. Parsed
   * afresh each time, so no request can change another's value.
   */
  readonly #opened = new Map<string, { stored: string; json: string; stale: boolean }>();

  constructor(ring: SessionKeyRing, encrypt: boolean, storeKey: string) {
    this.#ring = ring;
    this.#encrypt = encrypt;
    this.#storeKey = storeKey;
  }

  encode(field: string, value: unknown): string {
    const json = JSON.stringify(value);
    if (!this.#encrypt) return `j.${json}`;
    const [current] = this.#ring.payload;
    if (current === undefined) throw new Error("the session key ring has no key");
    const sealed = sealAesGcm(this.#sessionKey(current), Buffer.from(json), this.#aad(field));
    return `e1.${current.kid}.${sealed.toString("base64url")}`;
  }

  /** The value, or undefined when it cannot be read (unknown key, tampered, corrupt). */
  decode(field: string, stored: string): DecodedField | undefined {
    if (stored.startsWith("j.")) {
      const value = parseJson(stored.slice(2));
      return value === undefined ? undefined : { value: value.parsed, stale: this.#encrypt };
    }
    const opened = this.#opened.get(field);
    if (opened?.stored === stored) {
      const value = parseJson(opened.json);
      return value === undefined ? undefined : { value: value.parsed, stale: opened.stale };
    }
    const [version, kid, body] = stored.split(".");
    if (version !== "e1" || kid === undefined || body === undefined) return undefined;
    const index = this.#ring.payload.findIndex((key) => key.kid === kid);
    const key = this.#ring.payload[index];
    if (key === undefined) return undefined;
    const plain = openAesGcm(this.#sessionKey(key), Buffer.from(body, "base64url"), this.#aad(field));
    if (plain === undefined) return undefined;
    const json = plain.toString("utf8");
    const value = parseJson(json);
    if (value === undefined) return undefined;
    const stale = !this.#encrypt || index > 0;
    this.#opened.set(field, { stored, json, stale });
    return { value: value.parsed, stale };
  }

  #sessionKey(payloadKey: PayloadKey): Buffer {
    let key = this.#sessionKeys.get(payloadKey.kid);
    if (key === undefined) {
      key = payloadKey.derive(`session:${this.#storeKey}`);
      this.#sessionKeys.set(payloadKey.kid, key);
    }
    return key;
  }

  #aad(field: string): Buffer {
    return Buffer.from(`${this.#storeKey}|${field}`);
  }
}

function parseJson(text: string): { parsed: unknown } | undefined {
  try {
    return { parsed: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
