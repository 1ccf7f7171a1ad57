import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { MigrationSet } from "../db/migration-types.js";
import type { ErrorCodeInfo } from "../errors/error-code-info.js";
import { CORE_ERRORS } from "./core-errors.js";
import { coreMigrations } from "./core-migrations.js";

// No capability knows the lists it is in, so nothing reminds a new one to join:
// these tests read every capability's own files and look for each entry here.
const SRC = path.resolve(import.meta.dirname, "..");

function filesNamed(pattern: RegExp, dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "kernel" ? [] : filesNamed(pattern, full);
    return pattern.test(entry.name) ? [full] : [];
  });
}

function isErrorList(value: unknown): value is Record<string, ErrorCodeInfo> {
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).every(
    ([code, info]) => code.startsWith("E_") && typeof (info as Partial<ErrorCodeInfo>).status === "number",
  );
}

function isMigrationSet(value: unknown): value is MigrationSet {
  const set = value as Partial<MigrationSet> | null;
  return typeof set?.source === "string" && typeof set.migrations === "object";
}

describe("core's lists, composed in the kernel", () => {
  it("CORE_ERRORS holds every code each capability declares in its errors.ts, as declared", async () => {
    const files = filesNamed(/^(errors|http-errors)\.ts$/);
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const lists = Object.values((await import(file)) as Record<string, unknown>).filter(isErrorList);
      for (const [code, info] of lists.flatMap((list) => Object.entries(list))) {
        expect(CORE_ERRORS, `${code} of ${path.relative(SRC, file)}`).toHaveProperty(code, info);
      }
    }
  });

  it("coreMigrations holds every set a capability declares in a *-migrations.ts file", async () => {
    const files = filesNamed(/-migrations\.ts$/);
    for (const file of files) {
      const sets = Object.values((await import(file)) as Record<string, unknown>).filter(isMigrationSet);
      for (const set of sets)
        expect(coreMigrations, `${set.source} of ${path.relative(SRC, file)}`).toContain(set);
    }
  });
});
