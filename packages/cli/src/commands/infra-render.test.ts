import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");
const MARG = path.join(REPO_ROOT, "packages/cli/bin/marg.js");
const EXAMPLE = path.join(REPO_ROOT, "deploy/inventory.example.yml");
const temp = createTempDir("cli-infra-render");
afterAll(() => temp.remove());

/** Runs the real `marg` as a child process. */
function marg(...args: string[]) {
  const result = spawnSync(process.execPath, [MARG, ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe("marg infra:render", () => {
  const out = path.join(temp.path, "fleet");

  it("renders the example inventory: one progress line per file, a summary, secrets 600", () => {
    const run = marg("infra:render", "--inventory", EXAMPLE, "--out", out);
    expect(run.status, run.stderr).toBe(0);
    const progress = run.stderr.split("\n").filter((line) => line.startsWith("wrote "));
    expect(progress).toContain("wrote http-1/etc/nginx/sites-available/marg-flow.conf (644)");
    expect(progress).toContain("wrote redis-1/etc/redis/redis.conf (600)");
    expect(progress.length).toBeGreaterThan(30);
    expect(run.stdout).toContain('for the 4 servers of "marg-production" (phase 2)');
    expect(run.stdout).toContain("Generated 8 secret(s)");
    expect(mode(path.join(out, "secrets.env"))).toBe(0o600);
    expect(mode(path.join(out, "http-1/srv/marg/.env.shared"))).toBe(0o600);
    expect(readFileSync(path.join(out, "README.txt"), "utf8")).toContain("http-1 (192.168.1.10): http");
  });

  it("refuses to write over that render without --force, and keeps its secrets with it", () => {
    const before = readFileSync(path.join(out, "secrets.env"), "utf8");
    const refused = marg("infra:render", "--inventory", EXAMPLE, "--out", out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("--force");
    const forced = marg("infra:render", "--inventory", EXAMPLE, "--out", out, "--force");
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("Kept every secret");
    expect(readFileSync(path.join(out, "secrets.env"), "utf8")).toBe(before);
  });

  it("prints one JSON document with --json and no progress; warnings still go to stderr", () => {
    const data = parse(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
    const file = path.join(temp.path, "single.yml");
    writeFileSync(file, stringify({ ...data, redis: { instances: 1 } }));
    const run = marg("infra:render", "--inventory", file, "--out", path.join(temp.path, "json"), "--json");
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      phase: number;
      files: { path: string; mode: string }[];
      warnings: string[];
    };
    expect(result.phase).toBe(2);
    expect(result.files).toContainEqual({
      path: "mysql-1/root/marg-sql/01-databases-and-users.sql",
      mode: "600",
    });
    expect(result.warnings.join("\n")).toContain("noeviction");
    expect(run.stderr).not.toContain("wrote ");
    expect(run.stderr).toMatch(/warning: redis\.instances.*noeviction/);
  });

  it("exits 2 with the path and fix on an invalid inventory, writing nothing", () => {
    const data = parse(readFileSync(EXAMPLE, "utf8")) as { servers: { roles: string[] }[] };
    const bad = data.servers[2];
    if (bad) bad.roles = ["db"];
    const file = path.join(temp.path, "bad.yml");
    writeFileSync(file, stringify(data));
    const target = path.join(temp.path, "never");
    const run = marg("infra:render", "--inventory", file, "--out", target);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("servers[2].roles[0] (line");
    expect(run.stderr).toContain('unknown role "db"');
    expect(run.stderr).not.toContain("    at ");
    expect(existsSync(target)).toBe(false);
  });

  it("exits 2 when --out is missing", () => {
    expect(marg("infra:render", "--inventory", EXAMPLE).status).toBe(2);
  });
});
