import { createHmac, hkdfSync } from "node:crypto";

/**
 * Derives a sub-key for one purpose from a master key (APP_KEY) with HKDF-SHA256
 * (RFC 5869). Each purpose uses its own label from {@link KEY_LABELS}, so a key
 * that signs cookies is never the key that encrypts data: a weakness in one use
 * cannot leak into another, and the master key itself is never used directly.
 *
 * The salt is empty on purpose: APP_KEY is already 32 uniformly random bytes,
 * which is the case RFC 5869 §3.1 says needs no salt.
 *
 * @example
 * const macKey = deriveKey(config.app.key.reveal(), KEY_LABELS.sessionCookieMac);
 */
export function deriveKey(masterKey: Buffer, label: string, length = 32): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), Buffer.from(label, "utf8"), length));
}

const HASH_BYTES = 32;
const EMPTY_SALT = Buffer.alloc(HASH_BYTES);

/**
 * {@link deriveKey} for many labels under one master key, byte for byte the same
 * keys: HKDF's extract step (PRK = HMAC(salt, master)) depends only on the master
 * key, so it is done once here, and each label costs only the expand step, one
 * HMAC per 32 bytes. The session layer derives a key per session on every
 * request; this makes that a single HMAC instead of a full `hkdfSync`.
 *
 * @example
 * const forSession = createKeyDeriver(payloadKey);
 * const key = forSession(`session:${storeKey}`); // === deriveKey(payloadKey, `session:${storeKey}`)
 */
export function createKeyDeriver(masterKey: Buffer): (label: string, length?: number) => Buffer {
  const prk = createHmac("sha256", EMPTY_SALT).update(masterKey).digest();
  return (label, length = HASH_BYTES) => {
    if (!Number.isInteger(length) || length < 1 || length > 255 * HASH_BYTES) {
      throw new RangeError(`HKDF-SHA256 derives 1 to ${255 * HASH_BYTES} bytes, not ${length}`);
    }
    const blocks: Buffer[] = [];
    let previous = Buffer.alloc(0);
    for (let counter = 1; counter * HASH_BYTES < length + HASH_BYTES; counter++) {
      previous = createHmac("sha256", prk)
        .update(previous)
        .update(label, "utf8")
        .update(Buffer.of(counter))
        .digest();
      blocks.push(previous);
    }
    return blocks.length === 1 && length === HASH_BYTES
      ? previous
      : Buffer.concat(blocks).subarray(0, length);
  };
}
