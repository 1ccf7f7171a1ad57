import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planDeploy } from "./deploy-plan.js";
import { runDeploy } from "./run-deploy.js";
import type { DeployOptions } from "./types.js";

// Real git and npm on a throwaway project: an "origin" repository with two
// commits and a server checkout still on the first one. The MARG-specific
// steps (down/up, migrate, reload…) are replaced by commands that append to a
// journal, so the order and the maintenance decisions can be read back.

const temp = createTempDir("deploy-run");
const origin = path.join(temp.path, "origin");
const journal = path.join(temp.path, "journal.txt");
afterAll(() => temp.remove());

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=t@example.test", "-c", "user.name=t", ...args], {
    cwd,
    encoding: "utf8",
  });
const record = (what: string) => ["sh", "-c", `echo ${what} >> ${journal}`];
const readJournal = () => (existsSync(journal) ? readFileSync(journal, "utf8").trim().split("\n") : []);

function commitVersion(version: string, buildScript: string): void {
  writeFileSync(
    path.join(origin, "package.json"),
    JSON.stringify({ name: "deploy-probe", version, private: true, scripts: { build: buildScript } }),
  );
  writeFileSync(
    path.join(origin, "package-lock.json"),
    JSON.stringify({
      name: "deploy-probe",
      version,
      lockfileVersion: 3,
      requires: true,
      packages: { "": { name: "deploy-probe", version } },
    }),
  );
  git(origin, "add", "-A");
  git(origin, "commit", "-q", "-m", version);
}

/** A fresh server checkout at 1.0.0 while origin/main is at `head`. */
function serverCheckout(name: string, head: { version: string; build: string }): string {
  const checkout = path.join(temp.path, name);
  git(temp.path, "clone", "-q", origin, checkout);
  commitVersion(head.version, head.build);
  return checkout;
}

function options(checkout: string, overrides: DeployOptions["overrides"] = {}): DeployOptions {
  return {
    path: checkout,
    branch: "main",
    marg: ["marg"],
    apps: ["flow"],
    maintenance: "fleet",
    processManager: "none",
    overrides: {
      "maintenance-on": record("down"),
      migrate: record("migrate"),
      caches: record("rbac-warm"),
      "reload-apps": record("reload"),
      "restart-workers": record("workers"),
      "maintenance-off": record("up"),
      ...overrides,
    },
  };
}

beforeAll(() => {
  mkdirSync(origin);
  git(origin, "init", "-q", "-b", "main");
  commitVersion("1.0.0", "node -e \"require('fs').writeFileSync('built.txt', 'one')\"");
});

describe("marg deploy (runDeploy over planDeploy)", () => {
  it("runs every step in the seed's order and ends on the branch's code, built, out of maintenance", async () => {
    writeFileSync(journal, "");
    const checkout = serverCheckout("ok", {
      version: "2.0.0",
      build: "node -e \"require('fs').writeFileSync('built.txt', 'two')\"",
    });
    const lines: string[] = [];
    const result = await runDeploy(planDeploy(options(checkout)), {
      cwd: checkout,
      log: (line) => lines.push(line),
    });
    expect(result.ok, lines.join("\n")).toBe(true);
    expect(readJournal()).toEqual(["down", "migrate", "rbac-warm", "reload", "workers", "up"]);
    expect(JSON.parse(readFileSync(path.join(checkout, "package.json"), "utf8")).version).toBe("2.0.0");
    expect(readFileSync(path.join(checkout, "built.txt"), "utf8")).toBe("two");
    expect(lines).toContain("[2/10] fetch: git fetch --prune origin main");
    expect(lines.some((line) => /^\[10\/10\] maintenance-off: ok/.test(line))).toBe(true);
  });

  it("lifts maintenance again when it fails before the code changed (fetch)", async () => {
    writeFileSync(journal, "");
    const checkout = serverCheckout("fetch-fails", { version: "3.0.0", build: "true" });
    const lines: string[] = [];
    const plan = planDeploy({ ...options(checkout), remote: "no-such-remote" });
    const result = await runDeploy(plan, { cwd: checkout, log: (line) => lines.push(line) });
    expect(result.ok).toBe(false);
    expect(result.failed?.name).toBe("fetch");
    expect(result.maintenanceLifted).toBe(true);
    expect(readJournal()).toEqual(["down", "up"]);
    expect(JSON.parse(readFileSync(path.join(checkout, "package.json"), "utf8")).version).not.toBe("3.0.0");
  });

  it("stays in maintenance and runs nothing more when it fails after the code changed (build)", async () => {
    writeFileSync(journal, "");
    const checkout = serverCheckout("build-fails", { version: "4.0.0", build: "exit 3" });
    const lines: string[] = [];
    const result = await runDeploy(planDeploy(options(checkout)), {
      cwd: checkout,
      log: (line) => lines.push(line),
    });
    expect(result.ok).toBe(false);
    expect(result.failed?.name).toBe("build");
    expect(result.maintenanceLifted).toBe(false);
    expect(readJournal()).toEqual(["down"]);
    expect(lines.join("\n")).toContain("the server stays in maintenance");
  });

  it("plans the real commands: marg down/up, migrate --force, rbac:warm, one restart per app", () => {
    const plan = planDeploy({
      path: "/srv/marg",
      branch: "release",
      marg: ["node", "marg.js"],
      apps: ["flow", "links"],
      maintenance: "fleet",
      processManager: "supervisor",
    });
    expect(plan.map((step) => [step.name, step.argv.join(" ")])).toEqual([
      ["maintenance-on", "node marg.js down --message Deploying updates… --retry 60"],
      ["fetch", "git fetch --prune origin release"],
      ["reset", "git reset --hard origin/release"],
      ["install", "npm ci --omit=dev --no-audit --no-fund"],
      ["build", "npm run build"],
      ["migrate", "node marg.js migrate --force"],
      ["caches", "node marg.js rbac:warm"],
      ["reload-apps", "sudo -n supervisorctl restart marg-flow"],
      ["reload-apps", "sudo -n supervisorctl restart marg-links"],
      ["restart-workers", "sudo -n supervisorctl restart marg-worker:*"],
      ["maintenance-off", "node marg.js up"],
    ]);
    expect(plan.filter((step) => step.changesCode).map((step) => step.name)[0]).toBe("reset");
  });
});
