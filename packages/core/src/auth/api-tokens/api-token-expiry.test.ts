import { describe, expect, it } from "vitest";
import { parseApiTokenExpiry } from "./api-token-expiry.js";

const NOW = Date.parse("2026-12-05T12:00:00Z");

describe("parseApiTokenExpiry", () => {
  it("reads days from now, a date (through that day, UTC) and a full time; blank is none", () => {
    expect(parseApiTokenExpiry("30d", NOW)).toBe(NOW + 30 * 86_400_000);
    expect(parseApiTokenExpiry("2027-01-31", NOW)).toBe(Date.parse("2027-01-31T23:59:59.999Z"));
    expect(parseApiTokenExpiry("2027-01-31T08:00:00Z", NOW)).toBe(Date.parse("2027-01-31T08:00:00Z"));
    expect(parseApiTokenExpiry(undefined, NOW)).toBeUndefined();
    expect(parseApiTokenExpiry("  ", NOW)).toBeUndefined();
  });

  it("refuses nonsense, zero days and the past as E_AUTH_TOKEN_INPUT_INVALID", () => {
    for (const value of ["yesterday", "0d", "-3d", "2026-12-04", "30 days"]) {
      expect(() => parseApiTokenExpiry(value, NOW), value).toThrow(
        expect.objectContaining({ code: "E_AUTH_TOKEN_INPUT_INVALID", status: 422 }),
      );
    }
  });
});
