import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/marg-error.js";
import { assertPasswordAcceptable, passwordProblems } from "./password-policy.js";

describe("password policy", () => {
  it("accepts 12 characters or more of anything, with no composition rules", () => {
    expect(passwordProblems("abcdefghijkl")).toEqual([]);
    expect(passwordProblems("correct horse battery staple")).toEqual([]);
    expect(passwordProblems("🔑".repeat(12))).toEqual([]);
  });

  it("refuses fewer than 12 characters, counting an emoji as one", () => {
    expect(passwordProblems("abcdefghijk")).toEqual([expect.stringMatching(/at least 12/)]);
    expect(passwordProblems("🔑".repeat(11))).toHaveLength(1);
  });

  it("refuses more than 256 characters", () => {
    expect(passwordProblems("a".repeat(256))).toEqual([]);
    expect(passwordProblems("a".repeat(257))).toEqual([expect.stringMatching(/at most 256/)]);
  });

  it("refuses the account's own email address in any case", () => {
    expect(passwordProblems(" Ann.Lee@Example.com", { email: "ann.lee@example.com" })).toEqual([
      expect.stringMatching(/email address/),
    ]);
  });

  it("refuses a missing or non-text password", () => {
    expect(passwordProblems("")).toEqual(["Enter a password."]);
    expect(passwordProblems(undefined)).toEqual(["Enter a password."]);
  });

  it("throws E_AUTH_PASSWORD_WEAK (422) with the problems as field details, never the password", () => {
    const error = (() => {
      try {
        assertPasswordAcceptable("tiny secret");
      } catch (e) {
        return e;
      }
    })();
    expect(isMargError(error) && [error.code, error.status]).toEqual(["E_AUTH_PASSWORD_WEAK", 422]);
    expect(isMargError(error) && error.message).not.toContain("tiny secret");
    expect(isMargError(error) && error.details).toEqual({ fields: { password: [expect.any(String)] } });
  });
});
