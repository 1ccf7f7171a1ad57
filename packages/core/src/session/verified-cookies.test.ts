import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { csrfSecret, issueCsrfToken, verifyCsrfToken } from "./csrf-token.js";
import { signSessionId, verifySessionCookie } from "./session-cookie.js";
import { newSessionId, storeKeyOf } from "./session-id.js";
import { SessionKeyRing } from "./session-keys.js";
import { VerifiedCookieCache } from "./verified-cookies.js";

const current = randomBytes(32);
const previous = randomBytes(32);
const ring = new SessionKeyRing(current, [previous]);
const cache = () => new VerifiedCookieCache({ ring, encrypt: true, idleMs: 60_000 });

describe("verified cookie cache", () => {
  it("answers what verifySessionCookie answers, with the keys derived from the id", () => {
    const cookies = cache();
    const id = newSessionId();
    const value = signSessionId(ring, id);
    for (let i = 0; i < 2; i++) {
      const verified = cookies.verify(value);
      expect(verified).toMatchObject({ ...verifySessionCookie(ring, value), storeKey: storeKeyOf(id) });
      expect(verified?.csrfSecret.equals(csrfSecret(ring.csrf[0] ?? Buffer.alloc(0), id))).toBe(true);
    }
    const encoded = cookies.verify(value)?.codec.encode("k:a", 42) ?? "";
    expect(cookies.verify(value)?.codec.decode("k:a", encoded)).toEqual({ value: 42, stale: false });
  });

  it("still refuses an altered cookie after the genuine one was cached", () => {
    const cookies = cache();
    const value = signSessionId(ring, newSessionId());
    expect(cookies.verify(value)).toBeDefined();
    const altered = `${value.slice(0, -2)}${value.endsWith("AA") ? "BB" : "AA"}`;
    expect(cookies.verify(altered)).toBeUndefined();
    expect(cookies.verify(`${newSessionId()}.${value.split(".")[1]}`)).toBeUndefined();
  });

  it("keeps the previous-key flag, so such cookies are still re-signed", () => {
    const oldRing = new SessionKeyRing(previous);
    const value = signSessionId(oldRing, newSessionId());
    expect(cache().verify(value)?.signedWithPreviousKey).toBe(true);
  });

  it("gives CSRF tokens that verify with and without the cached secret", () => {
    const id = newSessionId();
    const secret = cache().verify(signSessionId(ring, id))?.csrfSecret;
    const token = issueCsrfToken(ring.csrf, id, secret);
    expect(verifyCsrfToken(ring.csrf, id, token)).toBe(true);
    expect(verifyCsrfToken(ring.csrf, id, issueCsrfToken(ring.csrf, id), secret)).toBe(true);
    expect(verifyCsrfToken(ring.csrf, newSessionId(), token)).toBe(false);
  });
});
