import { constantTimeEqual, hmacSha256 } from "../crypto/hmac.js";
import { randomBytesPooled } from "../crypto/random-pool.js";

const SECRET_BYTES = 32;

/**
 * CSRF tokens bound to the session: the secret is HMAC(csrf key, session id),
 * so nothing is stored, a token dies with its session (and changes at sign-in,
 * when the id is regenerated), and a cookie planted by a sibling subdomain
 * cannot produce a matching token the way a plain double-submit cookie can.
 * Each token is masked with fresh random bytes (`mask ‖ mask⊕secret`) so that it
 * differs on every page and cannot be recovered by compression attacks (BREACH).
 */
export function issueCsrfToken(keys: readonly Buffer[], sessionId: string, currentSecret?: Buffer): string {
  const [current] = keys;
  if (current === undefined) throw new Error("the session key ring has no key");
  const secret = currentSecret ?? csrfSecret(current, sessionId);
  const mask = randomBytesPooled(SECRET_BYTES);
  return Buffer.concat([mask, xor(mask, secret)]).toString("base64url");
}

/**
 * True when `token` was issued for `sessionId` under the current or a previous key.
 * `currentSecret`, when the caller has it, is `csrfSecret(keys[0], sessionId)`.
 */
export function verifyCsrfToken(
  keys: readonly Buffer[],
  sessionId: string,
  token: string,
  currentSecret?: Buffer,
): boolean {
  const raw = Buffer.from(token, "base64url");
  if (raw.length !== SECRET_BYTES * 2) return false;
  const secret = xor(raw.subarray(0, SECRET_BYTES), raw.subarray(SECRET_BYTES));
  return keys.some((key, index) =>
    constantTimeEqual(
      index === 0 && currentSecret !== undefined ? currentSecret : csrfSecret(key, sessionId),
      secret,
    ),
  );
}

/** The per-session secret tokens mask: HMAC(csrf key, `csrf:<session id>`), so nothing is stored. */
export function csrfSecret(key: Buffer, sessionId: string): Buffer {
  return hmacSha256(key, `csrf:${sessionId}`);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}
