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

  // The account and sign-in client commands (issue 17, OIDC): each explains itself and
  // refuses a call without what it needs as bad usage, before opening any database.
  const ACCOUNT_COMMANDS: readonly (readonly [string[], string])[] = [
    [["user:create"], "missing required argument 'email'"],
    [["user:disable"], "missing required argument 'email'"],
    [["user:enable"], "missing required argument 'email'"],
    [["user:reset-2fa"], "missing required argument 'email'"],
    [["token:create", "a@example.com"], "required option '--name <name>' not specified"],
    [["token:list"], "missing required argument 'user'"],
    [["token:revoke"], "missing required argument 'id'"],
    [["oidc:client", "create", "grafana"], "required option '--name <name>' not specified"],
    [["oidc:client", "rotate-secret"], "missing required argument 'client-id'"],
    [["oidc:client", "delete"], "missing required argument 'client-id'"],
  ];

  for (const [args, missing] of ACCOUNT_COMMANDS) {
    const name = args.filter((arg) => !arg.includes("@") && arg !== "grafana").join(" ");
    it(`marg ${name}: --help is 0 with its usage, and a call without what it needs is 2`, () => {
      const help = marg([...name.split(" "), "--help"]);
      expect(help.code).toBe(EXIT.OK);
      expect(help.stdout).toContain(`Usage: marg ${name} [options]`);
      const bare = marg(args);
      expect(bare.code).toBe(EXIT.USAGE);
      expect(bare.stderr).toContain(`error: ${missing}`);
    });
  }

  it("marg user:list outside an installation is 1 and says how to fix it", () => {
    const run = marg(["user:list"]);
    expect(run.code).toBe(EXIT.FAILURE);
    expect(run.stderr).toContain("APP_KEY is missing. Fix: run `marg key:generate`");
  });
});
