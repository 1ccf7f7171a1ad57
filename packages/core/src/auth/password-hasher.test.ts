import argon2 from "argon2";
import { describe, expect, it } from "vitest";
import { ARGON2_INSECURE_TEST_PARAMS, ARGON2_PRODUCTION_PARAMS, PasswordHasher } from "./password-hasher.js";

const fast = new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS });

describe("PasswordHasher", () => {
  it("hashes with the production parameters by default: argon2id, m=19456 KiB, t=2, p=1", async () => {
    const hasher = new PasswordHasher();
    const hash = await hasher.hash("correct horse battery");
    const [, id, version, params] = hash.split("$");
    expect([id, version, params?.split(",").sort()]).toEqual(["argon2id", "v=19", ["m=19456", "p=1", "t=2"]]);
    expect(await hasher.verify(hash, "correct horse battery")).toBe(true);
    expect(hasher.needsRehash(hash)).toBe(false);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await fast.hash("correct horse battery");
    expect(await fast.verify(hash, "correct horse battery")).toBe(true);
    expect(await fast.verify(hash, "correct horse batterY")).toBe(false);
    expect(await fast.verify(hash, "")).toBe(false);
  });

  it("salts every hash, so one password never hashes the same twice", async () => {
    expect(await fast.hash("same password here")).not.toBe(await fast.hash("same password here"));
  });

  it("treats the NFKC forms of a password as the same password", async () => {
    const hash = await fast.hash("ｆｕｌｌｗｉｄｔｈ passphrase"); // fullwidth letters
    expect(await fast.verify(hash, "fullwidth passphrase")).toBe(true);
    const composed = await fast.hash("caf\u00e9 au lait, bitte");
    expect(await fast.verify(composed, "cafe\u0301 au lait, bitte")).toBe(true);
  });

  it("answers false, not a crash, for a stored hash that is not a hash", async () => {
    expect(await fast.verify("", "whatever password")).toBe(false);
    expect(await fast.verify("$2y$10$notargon", "whatever password")).toBe(false);
  });

  it("asks for a rehash when the cost, the variant or the format differs from its own", async () => {
    const cheap = await fast.hash("correct horse battery");
    const production = new PasswordHasher();
    expect(fast.needsRehash(cheap)).toBe(false);
    expect(production.needsRehash(cheap)).toBe(true);
    const argon2i = await argon2.hash("correct horse battery", {
      type: argon2.argon2i,
      ...ARGON2_INSECURE_TEST_PARAMS,
    });
    expect(fast.needsRehash(argon2i)).toBe(true);
    expect(fast.needsRehash("$2y$10$abcdefghijklmnopqrstuv")).toBe(true);
  });

  it("verifies a dummy hash of its own parameters and always answers false", async () => {
    expect(await fast.verifyDummy("correct horse battery")).toBe(false);
    expect(await fast.verifyDummy("")).toBe(false);
  });

  it("states production parameters at least as strong as OWASP's Argon2id minimum", () => {
    expect(ARGON2_PRODUCTION_PARAMS.memoryCost * ARGON2_PRODUCTION_PARAMS.timeCost).toBeGreaterThanOrEqual(
      19_456 * 2,
    );
  });
});
