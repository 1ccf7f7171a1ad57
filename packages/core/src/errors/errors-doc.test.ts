import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "./registry.js";

const DOC = path.resolve(import.meta.dirname, "../../../../docs/errors.md");

/** Rows of docs/errors.md's table: | `E_CODE` | status | meaning | */
function documentedCodes(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of readFileSync(DOC, "utf8").split("\n")) {
    const match = /^\|\s*`(E_[A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/.exec(line);
    if (match?.[1] && match[2]) rows.set(match[1], Number(match[2]));
  }
  return rows;
}

describe("docs/errors.md", () => {
  it("lists every error code of the registry with its status, and no other", () => {
    const documented = documentedCodes();
    const registered = new Map(Object.entries(ERROR_CODES).map(([code, info]) => [code, info.status]));
    expect([...documented.keys()].sort()).toEqual([...registered.keys()].sort());
    for (const [code, status] of registered) expect(documented.get(code), code).toBe(status);
  });
});
