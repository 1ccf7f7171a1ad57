import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The cookie that lets the team through while the site is down. */
export const BYPASS_COOKIE = "marg_maintenance_bypass";

/** Letters, digits, `-` and `_`: it becomes a URL path segment. */
export const BYPASS_SECRET_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** A fresh secret for `marg down --secret` given without a value. */
export function generateBypassSecret(): string {
  return randomBytes(18).toString("base64url");
}

/**
 * What the store keeps for a secret: its hash (to recognise `/{secret}`) and the
 * hash of the cookie value it unlocks. Neither the secret nor the cookie can be
 * recovered from the store.
 */
export function bypassHashes(secret: string): { secretHash: string; bypassCookieHash: string } {
  return { secretHash: sha256(secret), bypassCookieHash: sha256(bypassCookieValue(secret)) };
}

/** The cookie value the secret unlocks (derived, so the secret itself never sits in a browser). */
export function bypassCookieValue(secret: string): string {
  return sha256(`marg-maintenance-bypass:${secret}`);
}

/** Constant-time comparison of `value`'s hash against a stored hash. */
export function matchesHash(value: string | undefined, storedHash: string | null): boolean {
  if (value === undefined || storedHash === null) return false;
  const actual = Buffer.from(sha256(value), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
