import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/marg-error.js";
import { normalizeEmail, parseEmail } from "./email.js";

function problemOf(input: unknown): string | undefined {
  try {
    parseEmail(input);
    return undefined;
  } catch (error) {
    return isMargError(error) ? error.code : "not a MargError";
  }
}

describe("email addresses", () => {
  it("are trimmed for display and trimmed and lowercased for comparison", () => {
    expect(parseEmail("  Ann.Lee+work@Example.COM ")).toEqual({
      email: "Ann.Lee+work@Example.COM",
      normalized: "ann.lee+work@example.com",
    });
    expect(normalizeEmail(" A@B.Test")).toBe("a@b.test");
  });

  it.each([
    ["no-at-sign"],
    ["a@"],
    ["@b.test"],
    ["a b@c.test"],
    [""],
    [`${"a".repeat(250)}@b.test`],
    [undefined],
    [7],
  ])("refuses %s with E_AUTH_EMAIL_INVALID", (input) => {
    expect(problemOf(input)).toBe("E_AUTH_EMAIL_INVALID");
  });
});
