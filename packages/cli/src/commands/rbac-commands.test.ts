import { mkdirSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { generateAppKey } from "@marg/core/config";
import type { RbacService } from "@marg/core/rbac";
import { seedRbacDefaults } from "@marg/core/rbac";
import { createTempDir } from "@marg/core/testing";
import type { SqlTestDriver } from "@marg/core/testing/rbac";
import { createRbacTestEnv, type RbacTestEnv } from "@marg/core/testing/rbac";
import { Command, CommanderError } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { createOutput } from "../output.js";
import { registerRbacAssign, registerRbacUnassign } from "./rbac-assign.js";
import { registerRbacCheck } from "./rbac-check.js";
import { registerRbacGrant, registerRbacRevoke } from "./rbac-grant.js";
import { registerRbacPermission } from "./rbac-permission.js";
import { registerRbacRole } from "./rbac-role.js";
import { registerRbacWarm } from "./rbac-warm.js";

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `marg <args>` in-process with only the rbac:* commands, capturing what it prints. */
async function marg(root: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const out = sink((text) => {
    stdout += text;
  });
  const err = sink((text) => {
    stderr += text;
  });
  const ctx = createCliContext({
    root,
    env,
    output: (json) => createOutput({ json, stdout: out, stderr: err }),
  });
  const program = new Command("marg").exitOverride().configureOutput({
    writeOut: (text) => {
      stdout += text;
    },
    writeErr: (text) => {
      stderr += text;
    },
  });
  for (const register of [
    registerRbacRole,
    registerRbacPermission,
    registerRbacGrant,
    registerRbacRevoke,
    registerRbacAssign,
    registerRbacUnassign,
    registerRbacCheck,
    registerRbacWarm,
  ]) {
    register(program, ctx);
  }
  try {
    await program.parseAsync(["node", "marg", ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { code: error.exitCode === 0 ? EXIT.OK : EXIT.USAGE, stdout, stderr };
  }
  return { code: ctx.exitCode, stdout, stderr };
}

interface Variant {
  readonly name: string;
  readonly sql: SqlTestDriver;
  readonly cache: "database" | "redis";
}

const VARIANTS: Variant[] = [
  { name: "embedded (SQLite + database cache)", sql: "sqlite", cache: "database" },
  { name: "servers (MariaDB + Redis cache)", sql: "mysql", cache: "redis" },
];

for (const variant of VARIANTS) {
  describe(`marg rbac:* on ${variant.name}`, () => {
    let env: RbacTestEnv;
    let root: ReturnType<typeof createTempDir>;
    let vars: Record<string, string>;
    let server: RbacService;
    const run = (...args: string[]) => marg(root.path, vars, ...args);

    beforeAll(async () => {
      root = createTempDir("rbac-cli");
      // The CLI finds the SQLite file where config puts it: STORAGE_PATH/database/marg-rbac.sqlite.
      const storage = path.join(root.path, "storage");
      mkdirSync(path.join(storage, "database"), { recursive: true });
      const sqliteFile = path.join(storage, "database", "marg-rbac.sqlite");
      env = await createRbacTestEnv(
        { name: variant.name, sql: variant.sql, cache: variant.cache },
        "rbac_cli",
        {
          sqliteFile,
        },
      );
      await seedRbacDefaults(env.repository);
      await env.addUser("ann@example.test");
      await env.addUser("off@example.test", { disabled: true });
      vars = { APP_KEY: generateAppKey(), APP_ENV: "testing", CACHE_PREFIX: "marg", STORAGE_PATH: storage };
      if (variant.sql === "sqlite") {
        vars.DB_CONNECTION = "sqlite";
      } else {
        Object.assign(vars, {
          DB_CONNECTION: "mysql",
          RBAC_DB_HOST: "127.0.0.1",
          RBAC_DB_PORT: "3306",
          RBAC_DB_DATABASE: env.location.target,
          RBAC_DB_USERNAME: "root",
        });
      }
      if (variant.cache === "redis") {
        Object.assign(vars, {
          CACHE_STORE: "redis",
          REDIS_HOST: "127.0.0.1",
          REDIS_PORT: "6379",
          REDIS_PREFIX: env.redisPrefix ?? "",
        });
      } else {
        vars.CACHE_STORE = "database";
      }
      server = env.newService();
    });
    afterAll(async () => {
      await env.destroy();
      root.remove();
    });

    it("lists the seeded roles, as text and as JSON", async () => {
      const text = await run("rbac:role", "list");
      expect(text).toMatchObject({ code: 0, stderr: "" });
      expect(text.stdout).toMatch(/^admin\s+0 users\s+.*tasks\.\*/m);
      const json = await run("rbac:role", "list", "--json");
      const roles = JSON.parse(json.stdout) as { name: string }[];
      expect(roles.map((role) => role.name)).toEqual(["admin", "member", "super-admin", "viewer"]);
    });

    it("creates a role once, and says so when it exists", async () => {
      expect(await run("rbac:role", "create", "editor", "--description", "Edits content")).toMatchObject({
        code: 0,
        stdout: expect.stringContaining("Role 'editor' created"),
      });
      expect(await run("rbac:role", "create", "editor")).toMatchObject({
        code: 1,
        stderr: expect.stringContaining("A role named 'editor' already exists."),
      });
    });

    it("exits 2 for a malformed name and 1 for an unknown role, listing the roles there are", async () => {
      expect(await run("rbac:role", "create", "Chief Editor")).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("The role name 'Chief Editor' must be lowercase"),
      });
      expect(await run("rbac:role", "delete", "admn")).toMatchObject({
        code: 1,
        stderr: expect.stringContaining(
          "No role 'admn'; roles are: admin, editor, member, super-admin, viewer.",
        ),
      });
      expect(await run("rbac:grant", "member", "tasks.updte")).toMatchObject({
        code: 1,
        stderr: expect.stringContaining("Did you mean tasks.update"),
      });
      expect((await run("rbac:role", "rename", "x")).code).toBe(2);
    });

    it("creates and lists permissions scoped to an app", async () => {
      expect((await run("rbac:permission", "create", "reports.export", "--app", "flow")).code).toBe(0);
      const listed = JSON.parse((await run("rbac:permission", "list", "--app", "flow", "--json")).stdout) as {
        name: string;
        app: string;
      }[];
      expect(listed).toContainEqual(expect.objectContaining({ name: "reports.export", app: "flow" }));
      expect(listed.every((permission) => permission.app === "flow")).toBe(true);
      expect((await run("rbac:permission", "create", "reports..export")).code).toBe(2);
    });

    it("grants, assigns and checks, saying which role decides", async () => {
      expect((await run("rbac:grant", "editor", "reports.export")).stdout).toContain(
        "role 'editor' now has 'reports.export'",
      );
      expect((await run("rbac:grant", "editor", "reports.export")).stdout).toContain("Nothing to do");
      expect((await run("rbac:assign", "ANN@example.test", "editor")).code).toBe(0);
      expect(await run("rbac:check", "ann@example.test", "reports.export")).toMatchObject({
        code: 0,
        stdout: "yes: role 'editor' grants 'reports.export'\n",
      });
      const json = JSON.parse((await run("rbac:check", "ann@example.test", "links.delete", "--json")).stdout);
      expect(json).toMatchObject({
        allowed: false,
        roles: ["editor"],
        because: expect.stringContaining("editor"),
      });
      expect(
        (await run("rbac:check", "ann@example.test", "reports.export", "--app", "links")).stdout,
      ).toMatch(/^no: /);
    });

    it("grants to one user directly with --user, and revokes and unassigns", async () => {
      expect((await run("rbac:grant", "--user", "ann@example.test", "links.delete")).code).toBe(0);
      expect((await run("rbac:check", "ann@example.test", "links.delete")).stdout).toBe(
        "yes: 'links.delete' is granted to the user directly\n",
      );
      expect((await run("rbac:revoke", "--user", "ann@example.test", "links.delete")).code).toBe(0);
      expect((await run("rbac:unassign", "ann@example.test", "editor")).stdout).toContain(
        "no longer has role 'editor'",
      );
      expect((await run("rbac:check", "ann@example.test", "reports.export")).stdout).toMatch(
        /^no: the user has no roles/,
      );
    });

    it("still takes super-admin from the last active one (the operator's root path), with a warning", async () => {
      await run("rbac:assign", "off@example.test", "super-admin");
      await run("rbac:assign", "ann@example.test", "super-admin");
      // off@ is disabled, so ann is the last active super-admin.
      const taken = await run("rbac:unassign", "ann@example.test", "super-admin");
      expect(taken.code).toBe(0);
      expect(taken.stdout).toContain("no longer has role 'super-admin'");
      expect(taken.stderr).toContain("was the last active super-admin");
      expect((await run("rbac:check", "ann@example.test", "users.manage")).stdout).toMatch(/^no: /);
      const other = await run("rbac:unassign", "off@example.test", "super-admin");
      expect(other.stderr).not.toContain("last active super-admin");
    });

    it("exits 1 for an unknown user and 2 for a wildcard check", async () => {
      expect(await run("rbac:check", "nobody@example.test", "tasks.view")).toMatchObject({
        code: 1,
        stderr: expect.stringContaining("No user with email 'nobody@example.test'"),
      });
      expect((await run("rbac:assign", "424242", "member")).stderr).toContain("No user with id '424242'");
      expect((await run("rbac:check", "ann@example.test", "tasks.*")).code).toBe(2);
      expect((await run("rbac:check", "ann@example.test")).code).toBe(2);
    });

    it("changes what a running server answers within a second", async () => {
      const ann = await server.resolveUser("ann@example.test");
      await run("rbac:assign", "ann@example.test", "viewer");
      await expect.poll(() => server.can(ann, "links.view"), { timeout: 1000, interval: 25 }).toBe(true);
      await run("rbac:revoke", "viewer", "links.view");
      await expect.poll(() => server.can(ann, "links.view"), { timeout: 1000, interval: 25 }).toBe(false);
    });

    it("warms the cache for the active users now", async () => {
      const result = await run("rbac:warm", "--json", "--batch-size", "1");
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ users: 1, written: 1, batches: 1 });
      expect((await run("rbac:warm", "--batch-size", "0")).code).toBe(2);
    });

    it("prints help for each command", async () => {
      const help = await run("rbac:role", "--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("create [options] <name>");
      expect((await run("rbac:grant", "--help")).stdout).toContain("--user");
    });
  });
}

describe("marg rbac:* before the database exists", () => {
  it("says to run marg migrate, and exits 1", async () => {
    const root = createTempDir("rbac-cli-empty");
    try {
      const result = await marg(
        root.path,
        { APP_KEY: generateAppKey(), STORAGE_PATH: root.path },
        "rbac:role",
        "list",
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("run `marg migrate`");
    } finally {
      root.remove();
    }
  });
});
