import { createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 of `data` under `key`, as raw bytes. */
export function hmacSha256(key: Buffer, data: string | Buffer): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/**
 * Compares two byte strings in time that does not depend on where they differ,
 * so an attacker cannot guess a MAC byte by byte. Unequal lengths are simply unequal.
 */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
