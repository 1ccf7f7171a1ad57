import { createHash } from "node:crypto";
import { randomBytesPooled } from "../crypto/random-pool.js";

/** 256 bits from the CSPRNG: far beyond the 128 bits OWASP asks for, and only 43 cookie characters. */
export const SESSION_ID_BYTES = 32;

const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh, unguessable session id (base64url). */
export function newSessionId(): string {
  return randomBytesPooled(SESSION_ID_BYTES).toString("base64url");
}

/** True when `value` has the shape of an id from {@link newSessionId}. */
export function isSessionIdShape(value: string): boolean {
  return SESSION_ID_PATTERN.test(value);
}

/**
 * The key a store files the session under: SHA-256 of the id in lowercase hex.
 * A dump of Redis or the sessions table therefore holds no usable cookie, and
 * hex (not base64) stays exact under MySQL's case-insensitive collations. No
 * key is involved, so rotating APP_KEY never moves a session.
 */
export function storeKeyOf(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("hex");
}

/** What logs say instead of a session: 12 hex of the store key, enough to correlate, useless to attack. */
export function logRefOf(storeKey: string): string {
  return storeKey.slice(0, 12);
}

/** A log name for a cookie value that failed verification (it has no trustworthy id). */
export function logRefOfCookie(cookieValue: string): string {
  return `c:${createHash("sha256").update(cookieValue).digest("hex").slice(0, 10)}`;
}

/**
 * The handle "your devices" shows for a session: 128 bits of a domain-separated
 * SHA-256 of the store key. It names a session without being its store key or its
 * log reference, and ending one by handle is always checked against the owner's list.
 */
export function handleOf(storeKey: string): string {
  return createHash("sha256")
    .update("marg-session-handle:")
    .update(storeKey)
    .digest("base64url")
    .slice(0, 22);
}
