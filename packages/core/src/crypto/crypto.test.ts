import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEqual, deriveKey, hmacSha256, KEY_LABELS, openAesGcm, sealAesGcm } from "./index.js";

describe("deriveKey", () => {
  it("is HKDF-SHA256 with an empty salt (RFC 5869 test case 3)", () => {
    const okm = deriveKey(Buffer.alloc(22, 0x0b), "", 42);
    expect(okm.toString("hex")).toBe(
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    );
  });

  it("gives every label its own key", () => {
    const master = randomBytes(32);
    const keys = Object.values(KEY_LABELS).map((label) => deriveKey(master, label).toString("hex"));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).not.toContain(master.toString("hex"));
  });
});

describe("AES-256-GCM", () => {
  const key = randomBytes(32);
  const aad = Buffer.from("session|field");

  it("opens what it sealed, and never repeats a ciphertext", () => {
    const a = sealAesGcm(key, Buffer.from("hello"), aad);
    const b = sealAesGcm(key, Buffer.from("hello"), aad);
    expect(a.equals(b)).toBe(false);
    expect(openAesGcm(key, a, aad)?.toString()).toBe("hello");
  });

  it("refuses a wrong key, a wrong context or a flipped byte", () => {
    const sealed = sealAesGcm(key, Buffer.from("hello"), aad);
    expect(openAesGcm(randomBytes(32), sealed, aad)).toBeUndefined();
    expect(openAesGcm(key, sealed, Buffer.from("other|field"))).toBeUndefined();
    const flipped = Buffer.from(sealed);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    expect(openAesGcm(key, flipped, aad)).toBeUndefined();
    expect(openAesGcm(key, Buffer.alloc(5), aad)).toBeUndefined();
  });
});

describe("HMAC", () => {
  it("compares MACs of equal and unequal length without throwing", () => {
    const key = randomBytes(32);
    expect(constantTimeEqual(hmacSha256(key, "a"), hmacSha256(key, "a"))).toBe(true);
    expect(constantTimeEqual(hmacSha256(key, "a"), hmacSha256(key, "b"))).toBe(false);
    expect(constantTimeEqual(hmacSha256(key, "a"), Buffer.alloc(3))).toBe(false);
  });
});
