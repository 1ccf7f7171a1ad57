import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  createKeyDeriver,
  deriveKey,
  hmacSha256,
  KEY_LABELS,
  openAesGcm,
  randomBytesPooled,
  sealAesGcm,
} from "./index.js";

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

describe("createKeyDeriver", () => {
  it("derives exactly the keys deriveKey does, for any label and length", () => {
    const master = randomBytes(32);
    const derive = createKeyDeriver(master);
    for (const label of ["", "session:ab12", `session:${"f".repeat(64)}`, "marg/é/v1"]) {
      for (const length of [1, 16, 31, 32, 33, 64, 100]) {
        expect(derive(label, length).toString("hex")).toBe(deriveKey(master, label, length).toString("hex"));
      }
    }
  });

  it("matches RFC 5869 test case 3 (empty salt and info)", () => {
    const okm = createKeyDeriver(Buffer.alloc(22, 0x0b))("", 42);
    expect(okm.toString("hex")).toBe(deriveKey(Buffer.alloc(22, 0x0b), "", 42).toString("hex"));
    expect(() => createKeyDeriver(Buffer.alloc(32))("x", 0)).toThrow(RangeError);
  });
});

describe("randomBytesPooled", () => {
  it("hands out fresh bytes of the size asked, never the same ones twice", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytesPooled(32);
      expect(bytes.length).toBe(32);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(1000);
    const held = randomBytesPooled(16);
    const copy = Buffer.from(held);
    for (let i = 0; i < 300; i++) randomBytesPooled(32); // refills the pool
    expect(held.equals(copy)).toBe(true);
    expect(() => randomBytesPooled(0)).toThrow(RangeError);
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
