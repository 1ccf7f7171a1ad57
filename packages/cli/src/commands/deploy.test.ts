import { randomBytes } from "node:crypto";
import { createTempDir } from "@marg/core/testing";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { createCliContext } from "../cli-context.js";
import { createOutput } from "../output.js";
import { registerDeploy } from "./deploy.js";
import { registerDeployRolling } from "./deploy-rolling.js";

const temp = createTempDir("cli-deploy");
afterAll(() => temp.remove());

async function marg(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const ctx = createCliContext({
    root: temp.path,
    env: {
      APP_KEY: `base64:${randomBytes(32).toString("base64")}`,
      MARG_APPS: "flow,links",
      LOG_LEVEL: "warn",
    },
    output: (json) =>
      createOutput({
        json,
        stdout: {
          write: (text: string) => {
            stdout += text;
            return true;
          },
        } as NodeJS.WritableStream,
        stderr: {
          write: (text: string) => {
            stderr += text;
            return true;
          },
        } as NodeJS.WritableStream,
      }),
  });
  const program = new Command("marg").exitOverride();
  registerDeploy(program, ctx);
  registerDeployRolling(program, ctx);
  await program.parseAsync(["node", "marg", ...args]);
  return { code: ctx.exitCode, stdout, stderr };
}

describe("marg deploy --dry-run", () => {
  it("prints the plan, one numbered step per command, and runs nothing", async () => {
    const run = await marg("deploy", "--dry-run", "--branch", "release", "--process-manager", "systemd");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("(branch release), nothing run:");
    expect(run.stdout).toMatch(
      / 1\. maintenance-on\s+\S+ \S+bin\/marg-compiled\.js down --message 'Deploying updates…' --retry 60/,
    );
    expect(run.stdout).toContain("git reset --hard origin/release");
    expect(run.stdout).toContain("sudo -n systemctl restart marg-links.service");
    expect(run.stdout).toMatch(/11\. maintenance-off\s+\S+ \S+bin\/marg-compiled\.js up/);
  });

  it("leaves out skipped steps and refuses unknown ones", async () => {
    const skipped = await marg("deploy", "--dry-run", "--skip", "build,maintenance-on,maintenance-off");
    expect(skipped.stdout).not.toContain("npm run build");
    expect(skipped.stdout).not.toContain(" down ");
    const refused = await marg("deploy", "--dry-run", "--skip", "coffee");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Unknown step(s) in --skip: coffee");
  });
});

describe("marg deploy:rolling input", () => {
  it("explains an unreachable HAProxy socket instead of crashing", async () => {
    const run = await marg(
      "deploy:rolling",
      "--lb-socket",
      `${temp.path}/nothing.sock`,
      "--backend",
      "b",
      "--servers",
      "a",
      "--command",
      "true",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("is the socket path right and HAProxy running?");
  });
});
