import { hkdfSync } from "node:crypto";

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
