import { describe, expect, it } from "vitest";
import { dayOf, daysEnding, referrerHostOf } from "../clicks/click-facts.js";
import { cellOf, parseCell } from "../clicks/types.js";
import { createLinkSchema } from "./input-schemas.js";
import { ANY_SLUG, CHOSEN_SLUG, generateSlug, isReservedSlug, SLUG_ALPHABET } from "./slug.js";
import { checkTargetUrl } from "./target-url.js";

describe("target URLs", () => {
  it("accepts http and https and normalises them", () => {
    expect(checkTargetUrl(" https://Example.com/a b ")).toEqual({
      ok: true,
      href: "https://example.com/a%20b",
    });
    expect(checkTargetUrl("http://localhost:8080/x")).toMatchObject({ ok: true });
    expect(checkTargetUrl("https://bücher.example/")).toEqual({
      ok: true,
      href: "https://xn--bcher-kva.example/",
    });
  });

  it.each([
    ["javascript:alert(1)"],
    ["JavaScript:alert(1)"],
    ["\tjavascript:alert(1)"],
    ["java\nscript:alert(1)"],
    ["data:text/html,<script>alert(1)</script>"],
    ["vbscript:msgbox(1)"],
    ["file:///etc/passwd"],
    ["mailto:someone@example.com"],
    ["//example.com/protocol-relative"],
    ["https://"],
    ["http://exa mple.com"],
    ["https://user:pass@example.com/"],
    [`https://example.com/${"a".repeat(2100)}`],
  ])("refuses %j", (input) => {
    expect(checkTargetUrl(input).ok).toBe(false);
  });
});

describe("slugs", () => {
  it("generates 7 characters of the look-alike-free alphabet", () => {
    for (let i = 0; i < 200; i += 1) {
      const slug = generateSlug();
      expect(slug).toHaveLength(7);
      for (const char of slug) expect(SLUG_ALPHABET).toContain(char);
      expect(ANY_SLUG.test(slug)).toBe(true);
    }
    for (const confusing of ["0", "O", "o", "1", "l", "I"]) expect(SLUG_ALPHABET).not.toContain(confusing);
  });

  it("lets people choose only lowercase letters, digits and dashes, 3 to 64 long", () => {
    expect(CHOSEN_SLUG.test("spring-sale-2026")).toBe(true);
    for (const bad of ["ab", "Caps", "under_score", "dot.ted", "slash/y", "a".repeat(65), "ünï"]) {
      expect(CHOSEN_SLUG.test(bad), bad).toBe(false);
    }
  });

  it("reserves the app's own paths, in any case, and whatever the server routes", () => {
    expect(isReservedSlug("login")).toBe(true);
    expect(isReservedSlug("LOGIN")).toBe(true);
    expect(isReservedSlug("my-page")).toBe(false);
    expect(isReservedSlug("my-page", (path) => path === "/my-page")).toBe(true);
  });

  it("treats an empty slug as 'generate one' and trims the chosen one", () => {
    expect(createLinkSchema.parse({ targetUrl: "https://a.example", slug: "" }).slug).toBe("");
    expect(createLinkSchema.parse({ targetUrl: "https://a.example", slug: " my-slug " }).slug).toBe(
      "my-slug",
    );
  });
});

describe("what a click leaves behind", () => {
  it("keeps only the referrer's host, lowercased", () => {
    expect(referrerHostOf("https://News.Example.com/path?q=secret#x")).toBe("news.example.com");
    expect(referrerHostOf(undefined)).toBe("");
    expect(referrerHostOf("android-app://com.example")).toBe("");
    expect(referrerHostOf("not a url")).toBe("");
    expect(referrerHostOf("http://192.168.1.20/admin")).toBe("");
    expect(referrerHostOf("http://[::1]/")).toBe("");
  });

  it("files clicks under their UTC day", () => {
    expect(dayOf(Date.UTC(2026, 11, 31, 23, 59))).toBe("2026-12-31");
    expect(daysEnding("2026-03-01", 3)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });

  it("round-trips a click cell and rejects foreign fields", () => {
    const click = { linkId: 42, day: "2026-12-01", referrerHost: "a-b.example" };
    expect(parseCell(cellOf(click))).toEqual(click);
    expect(parseCell("42|2026-12-01|")).toEqual({ linkId: 42, day: "2026-12-01", referrerHost: "" });
    for (const bad of ["", "x|2026-12-01|", "42|yesterday|", "42|2026-12-01|UPPER", "42|2026-12-01|a|b"]) {
      expect(parseCell(bad), bad).toBeUndefined();
    }
  });
});
