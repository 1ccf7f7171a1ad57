import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "./safe-redirect.js";

const ORIGINS = [
  "https://marg.test",
  "https://flow.marg.test",
  "https://links.marg.test",
  "http://flow.marg.test:8000",
];
// links' short links: one segment that is not one of its own pages.
const shortLink = (origin: string, path: string) =>
  origin === "https://links.marg.test" && /^\/[A-Za-z0-9-]{3,64}\/?$/.test(path) && path !== "/links";
const OPTIONS = {
  origins: ORIGINS,
  self: "https://flow.marg.test",
  redirectsOnward: shortLink,
  fallback: "/home",
};

const ALLOWED: ReadonlyArray<[input: string, expected: string]> = [
  ["/", "/"],
  ["/tasks", "/tasks"],
  ["/tasks/12?tab=files#top", "/tasks/12?tab=files#top"],
  ["/search?q=a%20b", "/search?q=a%20b"],
  ["/search?q=a%2Fb", "/search?q=a%2Fb"],
  ["/@team/board", "/@team/board"],
  ["/a/../b", "/b"],
  ["https://marg.test/", "https://marg.test/"],
  ["https://links.marg.test/x", "https://links.marg.test/x"],
  ["https://LINKS.Marg.Test/x?y=1", "https://links.marg.test/x?y=1"],
  ["http://flow.marg.test:8000/tasks", "http://flow.marg.test:8000/tasks"],
  ["https://flow.marg.test/tasks/12", "https://flow.marg.test/tasks/12"],
  ["https://links.marg.test/links", "https://links.marg.test/links"],
  ["https://links.marg.test/links/4/edit", "https://links.marg.test/links/4/edit"],
];

const REFUSED: ReadonlyArray<[why: string, input: unknown]> = [
  ["another host", "https://evil.example"],
  ["another host over http", "http://evil.example/marg.test"],
  ["a host that only ends like ours", "https://evilmarg.test/"],
  ["our domain as a subdomain of theirs", "https://marg.test.evil.example/"],
  ["our domain with a trailing dot and theirs", "https://marg.test.evil.example./"],
  ["protocol-relative", "//evil.example"],
  ["protocol-relative with three slashes", "///evil.example"],
  ["slash-backslash", "/\\evil.example"],
  ["backslash-backslash", "\\\\evil"],
  ["a backslash anywhere", "/tasks\\..\\evil"],
  ["backslash after the scheme", "https:\\\\evil.example"],
  ["backslash before our host", "https://evil.example\\@marg.test"],
  ["javascript:", "javascript:alert(1)"],
  ["JavaScript: in mixed case", "JaVaScRiPt:alert(1)"],
  ["javascript: split by a tab", "java\tscript:alert(1)"],
  ["data:", "data:text/html,<script>alert(1)</script>"],
  ["vbscript:", "vbscript:msgbox(1)"],
  ["a scheme without slashes", "https:evil.example"],
  ["a scheme with one slash", "https:/evil.example"],
  ["ftp", "ftp://marg.test/file"],
  ["encoded double slash without a leading slash", "%2F%2Fevil.example"],
  ["a path that decodes to a protocol-relative URL", "/%2F%2Fevil.example"],
  ["a path that decodes to a protocol-relative URL twice over", "/%252F%252Fevil.example"],
  ["an encoded backslash", "/%5Cevil.example"],
  ["an encoded tab", "/%09/evil.example"],
  ["malformed percent-encoding", "/%E0%A4%A"],
  ["userinfo that looks like our domain", "https://marg.test@evil.example"],
  ["userinfo with a password", "https://user:pass@links.marg.test/"],
  ["userinfo on our own host", "https://someone@links.marg.test/"],
  ["an encoded at in userinfo", "https://marg.test%40evil.example"],
  ["a fragment trick", "https://evil.example#@marg.test"],
  ["a query trick", "https://evil.example?.marg.test"],
  ["a tab inside", "/\t/evil.example"],
  ["a newline inside", "/x\nLocation: https://evil.example"],
  ["a carriage return", "/x\r\n"],
  ["a NUL", "/x\u0000"],
  ["a C1 control", "/x\u0085y"],
  ["a leading space", " /tasks"],
  ["a trailing space", "/tasks "],
  ["a relative path", "tasks"],
  ["a dot path", "./tasks"],
  ["a query only", "?next=//evil.example"],
  ["a path normalised into a protocol-relative URL", "/.//evil.example"],
  ["a sibling host that is not a MARG app", "https://evil.marg.test/"],
  ["a deeper sibling host", "https://a.b.marg.test/deep"],
  ["a MARG host on another scheme", "http://links.marg.test/links"],
  ["a MARG host on another port", "https://links.marg.test:8443/links"],
  ["localhost", "http://localhost:8000/x"],
  ["a short link on links, which redirects off-site", "https://links.marg.test/abc123"],
  ["a short link with a trailing slash", "https://links.marg.test/abc123/"],
  ["a percent-encoded short link", "https://links.marg.test/%61bc123"],
  ["an IP address", "http://127.0.0.1/"],
  ["an IPv6 address", "http://[::1]/"],
  ["an empty string", ""],
  ["too long", `/${"a".repeat(3000)}`],
  ["not text", ["/tasks"]],
  ["undefined", undefined],
  ["a number", 42],
];

describe("safeRedirectTarget", () => {
  it.each(ALLOWED)("allows %s", (input, expected) => {
    expect(safeRedirectTarget(input, OPTIONS)).toBe(expected);
  });

  it.each(REFUSED)("refuses %s", (_why, input) => {
    expect(safeRedirectTarget(input, OPTIONS)).toBe("/home");
  });

  it("judges a short-link-shaped path only on the app that redirects there", () => {
    expect(safeRedirectTarget("/abc123", OPTIONS)).toBe("/abc123");
    expect(safeRedirectTarget("https://flow.marg.test/abc123", OPTIONS)).toBe(
      "https://flow.marg.test/abc123",
    );
    const onLinks = { ...OPTIONS, self: "https://links.marg.test" };
    expect(safeRedirectTarget("/links/4/edit", onLinks)).toBe("/links/4/edit");
    expect(safeRedirectTarget("/abc123", onLinks)).toBe("/home");
    expect(safeRedirectTarget("/x/../abc123", onLinks)).toBe("/home");
    expect(safeRedirectTarget("/%61bc123", onLinks)).toBe("/home");
  });

  it("allows only paths when no origin is given, and falls back to / by default", () => {
    expect(safeRedirectTarget("/tasks")).toBe("/tasks");
    expect(safeRedirectTarget("https://links.marg.test/x")).toBe("/");
  });
});
