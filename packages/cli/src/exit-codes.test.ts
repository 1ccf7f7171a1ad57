import { spawnSync } from "node:child_process";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { MARG_BIN } from "../../../test/support/spawn-process.js";
import { EXIT } from "./exit-codes.js";

const temp = createTempDir("exit-codes");
afterAll(() => temp.remove());

function marg(args: readonly string[]) {
  const run = spawnSync(process.execPath, [MARG_BIN, ...args], {
    cwd: temp.path,
    env: { ...process.env, MARG_ROOT: temp.path, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("marg's exit codes", () => {
  it("exits 2 for an unknown command, naming it", () => {
    const run = marg(["no-such-command"]);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toContain("error: unknown command 'no-such-command'");
  });

  it("exits 2 for an unknown command asked for --help, instead of printing the general help", () => {
    for (const args of [
      ["no-such-command", "--help"],
      ["--help", "no-such-command"],
      ["no-such-command", "-h"],
    ]) {
      const run = marg(args);
      expect(run.code, args.join(" ")).toBe(EXIT.USAGE);
      expect(run.stderr).toContain("error: unknown command 'no-such-command'");
      expect(run.stdout).not.toContain("Usage: marg [options] [command]");
    }
  });

  it("still answers --help for marg itself and for a known command with 0", () => {
    expect(marg(["--help"]).code).toBe(EXIT.OK);
    const doctor = marg(["doctor", "--help"]);
    expect(doctor.code).toBe(EXIT.OK);
    expect(doctor.stdout).toContain("exit 0 ok, 1 warnings, 3 failures (2 is bad usage)");
  });

  it("lists the exit codes in marg --help, with doctor's failures apart from bad usage", () => {
    const help = marg(["--help"]).stdout;
    expect(help).toContain("Exit codes:");
    expect(help).toMatch(/^ {2}2 {2}bad usage: unknown command/m);
    expect(help).toMatch(/^ {2}3 {2}doctor found failures$/m);
  });
});
