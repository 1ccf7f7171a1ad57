import { createHash, randomInt, timingSafeEqual } from "node:crypto";

/**
 * A client secret reads `marg_ocs_` + 43 random base62 characters (256 bits): a
 * secret scanner finds it by its prefix. It is stored as hex SHA-256, like API
 * tokens: with that much entropy no salt or slow hash is needed.
 */
export const OIDC_CLIENT_SECRET_PREFIX = "marg_ocs_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 43;

export function hashClientSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A new secret, in the form it is shown once, and its stored hash. */
export function newClientSecret(): { secret: string; hash: string } {
  let random = "";
  // randomInt draws without modulo bias, so every character carries log2(62) bits.
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  const secret = `${OIDC_CLIENT_SECRET_PREFIX}${random}`;
  return { secret, hash: hashClientSecret(secret) };
}

/**
 * True when `presented` hashes to `storedHash`. Both sides are fixed-length digests,
 * compared with timingSafeEqual, so the time taken says nothing about the secret.
 */
export function clientSecretMatches(presented: string, storedHash: string): boolean {
  const actual = Buffer.from(hashClientSecret(presented), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
