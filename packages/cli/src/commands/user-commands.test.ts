import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { type AuditDatabase, AuditLog } from "@marg/core/audit";
import { generateAppKey, loadConfig } from "@marg/core/config";
import { createPlatform, type Platform } from "@marg/core/platform";
import {
  createScratchMysqlDatabase,
  createTempDir,
  type ScratchDatabase,
  TEST_MYSQL,
} from "@marg/core/testing";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARG_BIN, REPO_ROOT } from "../../../../test/support/spawn-process.js";

// `marg user:*` as an operator runs it: the real CLI process on a migrated installation,
// stdin a pipe (not a terminal), on SQLite and on MariaDB.

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function marg(root: string, args: readonly string[], stdin = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [MARG_BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, MARG_ROOT: root, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const PASSWORD = "a long enough root passphrase";

interface Variant {
  readonly name: string;
  env(): Record<string, string>;
}

let scratch: ScratchDatabase;
const VARIANTS: Variant[] = [
  { name: "sqlite", env: () => ({}) },
  {
    name: "mysql",
    env: () => ({
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
      DB_DATABASE: scratch.name,
      RBAC_DB_DATABASE: scratch.name,
      BUSINESS_DB_DATABASE: scratch.name,
    }),
  },
];

beforeAll(async () => {
  scratch = await createScratchMysqlDatabase("cli_users");
});
afterAll(() => scratch?.drop());

for (const variant of VARIANTS) {
  describe(`marg user:* on ${variant.name}`, () => {
    const root = createTempDir(`cli-users-${variant.name}`);
    let platform: Platform;
    const json = <T>(run: Run) => JSON.parse(run.stdout) as T;

    beforeAll(async () => {
      const env = {
        APP_KEY: generateAppKey(),
        APP_ENV: "testing",
        MARG_APPS: "flow",
        MARG_DOMAIN: "marg.test",
        SESSION_DOMAIN: ".marg.test",
        STORAGE_PATH: path.join(root.path, "storage"),
        LOG_LEVEL: "silent",
        ...variant.env(),
      };
      writeFileSync(
        path.join(root.path, ".env.shared"),
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}`)
          .join("\n"),
        { mode: 0o600 },
      );
      expect((await marg(root.path, ["migrate"])).code).toBe(0);
      for (const role of ["super-admin", "editor"])
        expect((await marg(root.path, ["rbac:role", "create", role])).code).toBe(0);
      platform = await createPlatform(loadConfig({ root: root.path, env: {} }));
    }, 120_000);
    afterAll(async () => {
      await platform?.close();
      root.remove();
    });

    it("creates the first admin with a password from stdin, hashed with argon2's production parameters", async () => {
      const run = await marg(
        root.path,
        ["user:create", "root@example.com", "--role", "super-admin", "--password-stdin", "--json"],
        `${PASSWORD}\n`,
      );
      expect(run.code).toBe(0);
      expect(json(run)).toMatchObject({ email: "root@example.com", name: "root", roles: ["super-admin"] });
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      const signedIn = await platform.signIn.attempt({
        email: "root@example.com",
        password: PASSWORD,
        ip: "127.0.0.1",
      });
      expect(signedIn.ok).toBe(true);
      const row = await platform.rbacDb
        .selectFrom("users")
        .select("password_hash")
        .where("email_normalized", "=", "root@example.com")
        .executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
      expect(await platform.rbac.hasRole(Number(json<{ id: number }>(run).id), "super-admin")).toBe(true);
    });

    it("generates a password and prints it once when stdin is not a terminal", async () => {
      const run = await marg(root.path, [
        "user:create",
        "bob@example.com",
        "--name",
        "Bob Stone",
        "--role",
        "editor",
      ]);
      expect(run.code).toBe(0);
      const printed = /Password \(shown once, store it now\): (\S+)/.exec(run.stdout)?.[1] ?? "";
      expect(printed.length).toBeGreaterThanOrEqual(24);
      expect(
        (await platform.signIn.attempt({ email: "bob@example.com", password: printed, ip: "127.0.0.1" })).ok,
      ).toBe(true);
    });

    it("refuses a weak password, an unknown role, a taken address (exit 1) and a missing address (exit 2)", async () => {
      const weak = await marg(root.path, ["user:create", "weak@example.com", "--password-stdin"], "short");
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain("at least 12 characters");
      const role = await marg(root.path, ["user:create", "x@example.com", "--role", "editor,nope"]);
      expect(role.code).toBe(1);
      expect(role.stderr).toContain("'nope'");
      const taken = await marg(root.path, ["user:create", "ROOT@example.com"]);
      expect(taken.code).toBe(1);
      expect((await marg(root.path, ["user:create"])).code).toBe(2);
      for (const email of ["weak@example.com", "x@example.com"])
        expect(await platform.users.findByEmail(email)).toBeNull();
    });

    it("lists users with roles, state, last sign-in and two-factor", async () => {
      const run = await marg(root.path, ["user:list", "--json"]);
      expect(run.code).toBe(0);
      const rows =
        json<
          {
            email: string;
            roles: string[];
            disabled: boolean;
            twoFactor: boolean;
            lastSignInAt: number | null;
          }[]
        >(run);
      expect(rows.map((r) => [r.email, r.roles, r.disabled, r.twoFactor])).toEqual([
        ["bob@example.com", ["editor"], false, false],
        ["root@example.com", ["super-admin"], false, false],
      ]);
      expect(rows.every((r) => r.lastSignInAt === null || typeof r.lastSignInAt === "number")).toBe(true);
      expect((await marg(root.path, ["user:list", "--help"])).stdout).toContain(
        "marg user:list --disabled --json",
      );
    });

    it("resets two-factor (lost phone): authenticator app, recovery codes and passkeys gone, audited with no actor", async () => {
      const bob = await platform.users.findByEmail("bob@example.com");
      const id = bob?.id ?? 0;
      const { twoFactor } = platform.accounts;
      await twoFactor.begin(id, "bob@example.com");
      await platform.rbacDb
        .updateTable("user_two_factor")
        .set({ confirmed_at: Date.now() })
        .where("user_id", "=", id)
        .execute();
      await twoFactor.regenerateRecoveryCodes(id);
      await platform.rbacDb
        .insertInto("user_passkeys")
        .values({
          user_id: id,
          credential_id: `cli-reset-${variant.name}`,
          public_key: "AAAA",
          counter: 0,
          transports: "[]",
          device_type: "multiDevice",
          backed_up: 1,
          name: "Phone",
          created_at: Date.now(),
          last_used_at: null,
        })
        .execute();
      const listed = json<{ email: string; twoFactor: boolean }[]>(
        await marg(root.path, ["user:list", "--json"]),
      );
      expect(listed.find((row) => row.email === "bob@example.com")?.twoFactor).toBe(true);
      const run = await marg(root.path, ["user:reset-2fa", "bob@example.com", "--json"]);
      expect(run.code).toBe(0);
      expect(json(run)).toEqual({
        email: "bob@example.com",
        id,
        changed: true,
        totpRemoved: true,
        recoveryCodesRemoved: 10,
        passkeysRemoved: 1,
      });
      expect(await twoFactor.status(id)).toEqual({ enabled: false, pending: false, recoveryCodesLeft: 0 });
      expect(await platform.accounts.passkeys.count(id)).toBe(0);
      const again = await marg(root.path, ["user:reset-2fa", "bob@example.com"]);
      expect([again.code, again.stdout.trim()]).toEqual([
        0,
        "Nothing to do: bob@example.com had no two-factor sign-in.",
      ]);
      const trail = await new AuditLog(platform.rbacDb as unknown as Kysely<AuditDatabase>).list({
        action: "account.two-factor.",
        subjectId: String(id),
      });
      expect(trail.items.map((item) => [item.action, item.actorUserId, item.after])).toEqual([
        ["account.two-factor.disabled", null, { via: "cli", passkeysRemoved: 1 }],
      ]);
      expect((await marg(root.path, ["user:reset-2fa", "nobody@example.com"])).code).toBe(1);
      expect((await marg(root.path, ["user:reset-2fa"])).code).toBe(2);
      expect((await marg(root.path, ["user:reset-2fa", "--help"])).stdout).toContain(
        "marg user:reset-2fa ann@example.com --json",
      );
    });

    it("disables: sessions ended, tokens revoked, audited, and a warning for the last super-admin; enable undoes it", async () => {
      const root_ = await platform.users.findByEmail("root@example.com");
      const id = root_?.id ?? 0;
      const now = Date.now();
      await platform.sessions.write("cli-test-session", {
        mode: "create",
        set: { user: "x" },
        unset: [],
        userId: String(id),
        createdAt: now,
        lastActivity: now,
        expiresAt: now + 60_000,
        deadline: now + 60_000,
      });
      await platform.rbac.createPermission("tasks.view");
      await platform.rbac.grantToUser(id, "tasks.view");
      await platform.accounts.tokens.create(id, { name: "ci", permissions: ["tasks.view"] });
      const run = await marg(root.path, ["user:disable", "root@example.com", "--json"]);
      expect(run.code).toBe(0);
      expect(json(run)).toMatchObject({ changed: true, sessionsEnded: 1, tokensRevoked: 1 });
      expect(run.stderr).toContain("was the last active super-admin");
      expect(await platform.sessions.read("cli-test-session")).toBeNull();
      expect((await platform.accounts.tokens.list(id)).every((token) => token.revokedAt !== null)).toBe(true);
      expect(
        (await platform.signIn.attempt({ email: "root@example.com", password: PASSWORD, ip: "127.0.0.1" }))
          .ok,
      ).toBe(false);
      const disabled = json<{ email: string }[]>(
        await marg(root.path, ["user:list", "--disabled", "--json"]),
      );
      expect(disabled.map((r) => r.email)).toEqual(["root@example.com"]);

      expect((await marg(root.path, ["user:enable", "root@example.com"])).code).toBe(0);
      expect(
        (await platform.signIn.attempt({ email: "root@example.com", password: PASSWORD, ip: "127.0.0.1" }))
          .ok,
      ).toBe(true);
      expect((await marg(root.path, ["user:disable", "nobody@example.com"])).code).toBe(1);

      const trail = await new AuditLog(platform.rbacDb as unknown as Kysely<AuditDatabase>).list({
        action: "account.user.",
        subjectId: String(id),
      });
      expect(trail.items.map((item) => [item.action, item.actorUserId])).toEqual([
        ["account.user.enabled", null],
        ["account.user.disabled", null],
        ["account.user.created", null],
      ]);
      expect(trail.items[1]?.after).toMatchObject({ via: "cli", sessionsEnded: 1, tokensRevoked: 1 });
    });
  });
}
