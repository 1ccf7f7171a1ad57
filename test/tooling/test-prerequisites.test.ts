import { spawnSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { INSTALL_COMMAND, onPath, readTestTools } from "../../scripts/test-prerequisites.js";
import { freePort } from "../support/free-port.js";
import { REPO_ROOT } from "../support/spawn-process.js";

const bin = createTempDir("test-tools-path");
const LEFT_OUT = ["redis-sentinel", "promtool"];

// A PATH holding every listed tool this machine has, except the ones left out.
for (const { command } of readTestTools()) {
  if (LEFT_OUT.includes(command)) continue;
  const dir = (process.env.PATH ?? "").split(path.delimiter).find((entry) => onPath(command, entry));
  if (dir !== undefined) symlinkSync(path.join(dir, command), path.join(bin.path, command));
}

function check(env: Record<string, string>, nodeArgs: readonly string[] = []) {
  const args = [...nodeArgs, "--import", "tsx", "scripts/check-test-prerequisites.ts"];
  const run = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

afterAll(() => bin.remove());

describe("npm test's first step: the machine has what the suites drive", () => {
  it("is the first thing `npm test` runs, and `.ci/run` installs with the same script", () => {
    const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts;
    expect(scripts.test).toMatch(
      /^node --conditions=development --import tsx scripts\/check-test-prerequisites\.ts && /,
    );
    expect(readFileSync(path.join(REPO_ROOT, ".ci/run"), "utf8")).toContain(INSTALL_COMMAND);
  });

  it("passes without a word on a machine that has everything", () => {
    expect(check({})).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("stops with one message naming every missing tool and the one command that installs them", () => {
    const run = check({ PATH: bin.path });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        "npm test drives system tools this machine lacks: redis-sentinel, promtool.",
        "Install them (Debian/Ubuntu packages redis-sentinel, prometheus) with: scripts/install-test-tools.sh",
        "",
      ].join("\n"),
    );
  });

  it("says when Redis or MariaDB cannot be reached, and where it looked", async () => {
    const [redisPort, mysqlPort] = [await freePort(), await freePort()];
    const run = check({ MARG_TEST_REDIS_PORT: String(redisPort), MARG_TEST_MYSQL_PORT: String(mysqlPort) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Redis is not reachable at 127.0.0.1:${redisPort} (ECONNREFUSED).`);
    expect(run.stderr).toContain(
      `MariaDB is not reachable at 127.0.0.1:${mysqlPort} as root (ECONNREFUSED).`,
    );
    expect(run.stderr).toContain("`.ci/run` installs and starts both");
  });

  it("says when Node.js is older than the test tools need", () => {
    const preload = path.join(bin.path, "node-20.11.mjs");
    writeFileSync(
      preload,
      'Object.defineProperty(process, "versions", { value: { ...process.versions, node: "20.11.1" } });\n',
    );
    const run = check({}, ["--import", preload]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("npm test needs Node.js 20.19 or newer (engines: >=20.19); this is 20.11.1.\n");
  });

  it("has an install script that installs exactly the packages of the missing tools", () => {
    const run = spawnSync("/bin/bash", [INSTALL_COMMAND, "--print"], {
      cwd: REPO_ROOT,
      env: { PATH: bin.path },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("redis-sentinel\nprometheus\n");
  });
});
