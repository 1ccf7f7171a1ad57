import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type Resolution, recordImports } from "../../../test/support/record-imports.js";
import { MARG_BIN, REPO_ROOT } from "../../../test/support/spawn-process.js";

// `marg --help` must stay cheap: registering a command (its name, options and help)
// may not load the platform. Each command loads what it runs on with `await import()`
// in its action. These are the modules that made every invocation cost seconds.
// A Node loader hook registered with --import records every module `marg` resolves
// (test/support/record-imports.ts).

const temp = createTempDir("startup-imports");
afterAll(() => temp.remove());

/** Runs `marg <args>` and lists every module it resolved (specifier as written, and where it landed). */
function resolvedBy(args: readonly string[]): Promise<{ code: number | null; modules: Resolution[] }> {
  return recordImports(temp.path, MARG_BIN, args, { ...process.env, MARG_ROOT: temp.path, NO_COLOR: "1" });
}

const inRepo = (relative: string) => pathToFileURL(path.join(REPO_ROOT, relative)).href;

const fromNodeModules = (name: string) => (m: Resolution) => m.url.includes(`/node_modules/${name}/`);
const isFile = (relative: string) => (m: Resolution) => m.url === inRepo(relative);

/**
 * What registering the commands must never load. Core's and deploy's small faces
 * (@marg/core/errors, @marg/core/config, @marg/deploy/deploy-steps) are fine; their indexes are not.
 */
const HEAVY = [
  { name: "fastify", matches: fromNodeModules("fastify") },
  { name: "kysely", matches: fromNodeModules("kysely") },
  { name: "mysql2", matches: fromNodeModules("mysql2") },
  { name: "bullmq", matches: fromNodeModules("bullmq") },
  { name: "ioredis", matches: fromNodeModules("ioredis") },
  { name: "sharp", matches: fromNodeModules("sharp") },
  { name: "better-sqlite3", matches: fromNodeModules("better-sqlite3") },
  { name: "@marg/core/web", matches: isFile("packages/core/src/web/index.ts") },
  { name: "@marg/core/db", matches: isFile("packages/core/src/db/index.ts") },
  { name: "@marg/deploy", matches: isFile("packages/deploy/src/index.ts") },
  {
    name: "@marg/core/kernel",
    matches: (m: Resolution) => m.url.startsWith(inRepo("packages/core/src/kernel/")),
  },
];

describe("marg's start-up", () => {
  for (const args of [["--help"], ["migrate:status", "--help"], ["deploy", "--help"]]) {
    it(`loads none of the platform's heavy modules for \`marg ${args.join(" ")}\``, async () => {
      const { code, modules } = await resolvedBy(args);
      expect(code).toBe(0);
      // The log holds what it did load, so an empty log cannot pass for a light start.
      expect(modules.some((m) => m.url === inRepo("packages/cli/src/program.ts"))).toBe(true);
      const loaded = HEAVY.filter((heavy) => modules.some(heavy.matches)).map((heavy) => heavy.name);
      expect(loaded).toEqual([]);
    }, 60_000);
  }

  it("still loads the platform once a command runs that needs it", async () => {
    // An embedded installation (SQLite): migrate:status opens its databases through Kysely.
    writeFileSync(
      path.join(temp.path, ".env.shared"),
      `APP_KEY=base64:${randomBytes(32).toString("base64")}\n`,
    );
    const { code, modules } = await resolvedBy(["migrate:status"]);
    expect(code).toBe(0);
    expect(modules.some(fromNodeModules("kysely"))).toBe(true);
    expect(modules.some(isFile("packages/core/src/db/index.ts"))).toBe(true);
    // Every app's definition (flow's image jobs included) is loaded, but sharp and its
    // libvips (~27 MB resident) only load when an image job runs, in a worker.
    expect(modules.some(isFile("apps/flow/src/index.ts"))).toBe(true);
    expect(modules.some(fromNodeModules("sharp"))).toBe(false);
    // Database drivers load with the first connection that needs them: SQLite here, so no mysql2.
    expect(modules.some(fromNodeModules("better-sqlite3"))).toBe(true);
    expect(modules.some(fromNodeModules("mysql2"))).toBe(false);
  }, 60_000);
});
