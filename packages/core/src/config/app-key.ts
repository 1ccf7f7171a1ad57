import { createHash, randomBytes } from "node:crypto";

/** The APP_KEY printed in the seed guide: public, so production refuses it. */
export const SEED_EXAMPLE_APP_KEY = "base64:hnAiCHfq9WAEXzFxP0/q/SteYkgSOdZBEmgWdkOhm+Y=";

export const APP_KEY_BYTES = 32;

/** A fresh `base64:` key of 32 random bytes, as `marg key:generate` writes. */
export function generateAppKey(): string {
  return `base64:${randomBytes(APP_KEY_BYTES).toString("base64")}`;
}

/** Decodes `base64:…` (or a raw string, as Laravel also allows) to bytes. */
export function decodeAppKey(raw: string): Buffer {
  if (raw.startsWith("base64:")) {
    const body = raw.slice("base64:".length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error("the part after base64: is not valid base64");
    return Buffer.from(body, "base64");
  }
  return Buffer.from(raw, "utf8");
}

/**
 * A short, stable, non-reversible name for a key, so that `marg doctor` and the
 * logs can say whether two apps share a key without ever printing it.
 */
export function keyFingerprint(key: Buffer): string {
  return createHash("sha256").update("marg-key-fingerprint:").update(key).digest("hex").slice(0, 12);
}
