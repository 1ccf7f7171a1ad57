import { constantTimeEqual, hmacSha256 } from "../crypto/hmac.js";
import { isSessionIdShape } from "./session-id.js";
import type { SessionKeyRing } from "./session-keys.js";

/**
 * The cookie value is `<id>.<mac>`: the 43-character session id and the
 * base64url HMAC-SHA256 of it under a key derived from APP_KEY. A forged or
 * altered cookie fails here, before any store lookup.
 */
export function signSessionId(ring: SessionKeyRing, sessionId: string): string {
  const [current] = ring.cookieMac;
  if (current === undefined) throw new Error("the session key ring has no key");
  return `${sessionId}.${hmacSha256(current, sessionId).toString("base64url")}`;
}

/** The verified id, and whether it was signed with a previous key (so the cookie should be re-signed). */
export interface VerifiedCookie {
  readonly sessionId: string;
  readonly signedWithPreviousKey: boolean;
}

/** Verifies a cookie value against the current key, then each previous key. */
export function verifySessionCookie(ring: SessionKeyRing, value: string): VerifiedCookie | undefined {
  const dot = value.indexOf(".");
  const sessionId = value.slice(0, dot);
  if (dot < 0 || !isSessionIdShape(sessionId)) return undefined;
  // Compared as text, not decoded: base64url decoding skips stray characters, and
  // one id must have exactly one valid cookie value.
  const mac = Buffer.from(value.slice(dot + 1));
  const index = ring.cookieMac.findIndex((key) =>
    constantTimeEqual(Buffer.from(hmacSha256(key, sessionId).toString("base64url")), mac),
  );
  return index < 0 ? undefined : { sessionId, signedWithPreviousKey: index > 0 };
}

/**
 * Every value the Cookie header carries under `name`. A sibling subdomain can
 * plant a second cookie of the same name on the parent domain (cookie tossing),
 * so more than one means "signed out" (see session-loader.ts), never a pick.
 */
export function readCookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined || header === "") return [];
  const values: string[] = [];
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      values.push(decodeURIComponent(value));
    } catch {
      values.push(value);
    }
  }
  return values;
}
