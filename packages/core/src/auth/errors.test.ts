import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUTH_ERRORS } from "./errors.js";

/** Every `new MargError("E_…", …, { status: N` in auth's own source. */
function thrownCodes(): Array<{ code: string; status: number | undefined; file: string }> {
  const found = [];
  for (const entry of readdirSync(import.meta.dirname, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".ts") || entry.endsWith(".test.ts")) continue;
    const text = readFileSync(path.join(import.meta.dirname, entry), "utf8");
    for (const match of text.matchAll(/new MargError\(\s*"(E_[A-Z_]+)",[\s\S]*?status: (\d{3})/g)) {
      found.push({ code: match[1] ?? "", status: Number(match[2]), file: entry });
    }
  }
  return found;
}

describe("AUTH_ERRORS", () => {
  it("lists every code auth throws, with the status it is thrown with", () => {
    const thrown = thrownCodes();
    expect(thrown.length).toBeGreaterThan(5);
    for (const { code, status, file } of thrown) {
      expect(AUTH_ERRORS, `${code} in ${file}`).toHaveProperty(code);
      expect(AUTH_ERRORS[code as keyof typeof AUTH_ERRORS].status, `${code} in ${file}`).toBe(status);
    }
  });

  it("uses only E_AUTH_ codes", () => {
    for (const code of Object.keys(AUTH_ERRORS)) expect(code).toMatch(/^E_AUTH_[A-Z_]+$/);
  });
});
