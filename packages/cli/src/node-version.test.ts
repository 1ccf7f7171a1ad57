import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { MARG_BIN, REPO_ROOT } from "../../../test/support/spawn-process.js";

const temp = createTempDir("node-version");
afterAll(() => temp.remove());

/** Runs `marg --version` in a Node that reports `version` as its own (process.versions.node). */
function margOn(version: string) {
  const preload = path.join(temp.path, `node-${version}.mjs`);
  writeFileSync(
    preload,
    `Object.defineProperty(process, "versions", { value: { ...process.versions, node: "${version}" } });\n`,
  );
  const run = spawnSync(process.execPath, ["--import", preload, MARG_BIN, "--version"], {
    cwd: temp.path,
    env: { ...process.env, MARG_ROOT: temp.path },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const enginesOf = (file: string) =>
  (JSON.parse(readFileSync(path.join(REPO_ROOT, file), "utf8")) as { engines?: { node?: string } }).engines
    ?.node;

describe("the Node.js marg needs", () => {
  it("says 20.11, the first with import.meta.dirname, in every package that runs", () => {
    for (const pkg of ["packages/cli", "packages/core", "packages/deploy", "apps/flow", "apps/links"])
      expect(enginesOf(`${pkg}/package.json`), pkg).toBe(">=20.11");
    for (const pkg of ["apps/admin"]) expect(enginesOf(`${pkg}/package.json`), pkg).toBe(">=20.11");
    // The checkout also runs the test tools: vitest 4's vite needs 20.19.
    expect(enginesOf("package.json")).toBe(">=20.19");
  });

  it("stops an older Node at start with one line instead of a TypeError", () => {
    for (const version of ["20.9.0", "20.10.1", "18.19.0"]) {
      const run = margOn(version);
      expect(run.code, version).toBe(1);
      expect(run.stderr).toBe(
        `marg needs Node.js 20.11.0 or newer (engines: >=20.11); this is ${version}.\n`,
      );
      expect(run.stdout).toBe("");
    }
  });

  it("runs on 20.11 and anything newer", () => {
    for (const version of ["20.11.0", "20.20.2", "22.1.0"]) {
      const run = margOn(version);
      expect(run.stderr, version).toBe("");
      expect(run.stdout.trim()).toBe("0.1.0");
    }
  });
});
