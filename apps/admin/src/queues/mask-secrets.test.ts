import { describe, expect, it } from "vitest";
import { MASK, maskedJson, maskSecrets } from "./mask-secrets.js";

describe("maskSecrets", () => {
  it("masks values under secret-looking keys at any depth, in objects and arrays", () => {
    expect(
      maskSecrets({
        email: "a@x.test",
        password: "p",
        user: { resetToken: "t", profile: { apiKey: "k" } },
        headers: [{ Authorization: "Bearer x", Cookie: "s=1", accept: "json" }],
        clientSecret: "c",
        passphrase: { any: "shape" },
      }),
    ).toEqual({
      email: "a@x.test",
      password: MASK,
      user: { resetToken: MASK, profile: { apiKey: MASK } },
      headers: [{ Authorization: MASK, Cookie: MASK, accept: "json" }],
      clientSecret: MASK,
      passphrase: MASK,
    });
  });

  it("leaves other values and non-objects alone", () => {
    expect(maskSecrets("password")).toBe("password");
    expect(maskSecrets([1, null, "x"])).toEqual([1, null, "x"]);
    expect(maskSecrets({ count: 3, tags: ["a"] })).toEqual({ count: 3, tags: ["a"] });
  });

  it("summarises payloads nested too deep to show", () => {
    let deep: unknown = { password: "p" };
    for (let i = 0; i < 20; i += 1) deep = { inner: deep };
    expect(JSON.stringify(maskSecrets(deep))).not.toContain('"p"');
  });

  it("cuts long payloads and says how much is left out", () => {
    const text = maskedJson({ blob: "x".repeat(10_000) }, 100);
    expect(text.length).toBeLessThan(200);
    expect(text).toMatch(/more characters\)$/);
  });
});
