import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { MARG_BIN, REPO_ROOT } from "../../../test/support/spawn-process.js";

// `marg --help` must stay cheap: registering a command (its name, options and help)
// may not load the platform. Each command loads what it runs on with `await import()`
// in its action. These are the modules that made every invocation cost seconds.
// A Node loader hook registered with --import records every module `marg` resolves.

const temp = createTempDir("startup-imports");
afterAll(() => temp.remove());

/** Written as files because `node --import` takes a module, and the hook runs in its own thread. */
const HOOKS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, specifier + "\\t" + resolved.url + "\\n");
  return resolved;
}
`;

function registerScript(log: string): string {
  const hooks = path.join(temp.path, "record-imports-hooks.mjs");
  writeFileSync(hooks, HOOKS);
  const script = path.join(temp.path, "record-imports.mjs");
  writeFileSync(
    script,
    `import { register } from "node:module";\n` +
      `register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`,
  );
  return script;
}

interface Resolution {
  readonly specifier: string;
  readonly url: string;
}

/** Runs `marg <args>` and lists every module it resolved (specifier as written, and where it landed). */
async function resolvedBy(args: readonly string[]): Promise<{ code: number | null; modules: Resolution[] }> {
  const log = path.join(temp.path, `imports-${args.join("-").replace(/[^a-z0-9-]/gi, "_")}.log`);
  writeFileSync(log, "");
  const child = spawn(process.execPath, ["--import", registerScript(log), MARG_BIN, ...args], {
    cwd: temp.path,
    env: { ...process.env, MARG_ROOT: temp.path, NO_COLOR: "1" },
    stdio: "ignore",
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  const modules = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [specifier = "", url = ""] = line.split("\t");
      return { specifier, url };
    });
  return { code, modules };
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
