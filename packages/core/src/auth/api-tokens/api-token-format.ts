import { createHash, randomInt } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * A personal API token reads `marg_pat_` + 32 random base62 characters (190 bits)
 * + 6 base62 characters of the CRC32 of those 32, like GitHub's `ghp_` tokens: a
 * secret scanner finds it by its prefix, and a typo or a truncated paste is told
 * apart from a wrong token without a database lookup.
 */
export const API_TOKEN_PREFIX = "marg_pat_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const SHAPE = new RegExp(
  `^${API_TOKEN_PREFIX}([0-9A-Za-z]{${RANDOM_LENGTH}})([0-9A-Za-z]{${CHECKSUM_LENGTH}})$`,
);

function base62(value: number, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

const checksumOf = (random: string) => base62(crc32(random), CHECKSUM_LENGTH);

/** The stored form of a token: hex SHA-256 (the token has 190 bits; no salt or slow hash is needed). */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new token, in the form it is shown once, and its stored hash. */
export function newApiToken(): { token: string; hash: string } {
  let random = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(62)];
  const token = `${API_TOKEN_PREFIX}${random}${checksumOf(random)}`;
  return { token, hash: hashApiToken(token) };
}

/** True when `input` has a token's prefix, length and a matching checksum. */
export function isWellFormedApiToken(input: string): boolean {
  const match = SHAPE.exec(input);
  return match !== null && checksumOf(match[1] ?? "") === match[2];
}
