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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARG_BIN, REPO_ROOT } from "../../../../test/support/spawn-process.js";

// `marg oidc:client …` as an operator runs it: the real CLI process on a migrated
// installation, stdin a pipe (not a terminal), on SQLite and on MariaDB.

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function marg(root: string, args: readonly string[]): Promise<Run> {
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
    child.stdin.end("");
  });
}

let scratch: ScratchDatabase;
const VARIANTS = [
  { name: "sqlite", env: (): Record<string, string> => ({}) },
  {
    name: "mysql",
    env: (): Record<string, string> => ({
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
  scratch = await createScratchMysqlDatabase("cli_oidc");
});
afterAll(() => scratch?.drop());

for (const variant of VARIANTS) {
  describe(`marg oidc:client on ${variant.name}`, () => {
    const root = createTempDir(`cli-oidc-${variant.name}`);
    let platform: Platform;
    let audit: AuditLog;
    let firstSecret = "";

    beforeAll(async () => {
      const env = {
        APP_KEY: generateAppKey(),
        APP_ENV: "production",
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
      expect((await marg(root.path, ["migrate", "--force"])).code).toBe(0);
      platform = await createPlatform(loadConfig({ root: root.path, env: {} }));
      audit = new AuditLog(platform.databases.connection<AuditDatabase>("rbac"));
    }, 120_000);
    afterAll(async () => {
      await platform?.close();
      root.remove();
    });

    it("creates a confidential client: the secret alone on stdout, once, with a line saying to store it", async () => {
      const run = await marg(root.path, [
        "oidc:client",
        "create",
        "grafana",
        "--name",
        "Grafana",
        "--redirect-uri",
        "https://grafana.example.com/login/generic_oauth",
        "--redirect-uri",
        "http://127.0.0.1:3000/cb",
        "--post-logout-redirect-uri",
        "https://grafana.example.com/",
        "--backchannel-logout-uri",
        "https://grafana.example.com/bc",
        "--first-party",
        "--app-scope",
        "flow",
      ]);
      expect(run.code, run.stderr).toBe(0);
      const secret = run.stdout.trim();
      firstSecret = secret;
      expect(secret).toMatch(/^marg_ocs_[0-9A-Za-z]{40,}$/);
      expect(run.stderr).toContain("Store it now");
      expect(await platform.oidcClients.verifySecret("grafana", secret)).toBe(true);
      expect(await platform.oidcClients.find("grafana")).toMatchObject({
        name: "Grafana",
        type: "confidential",
        redirectUris: ["https://grafana.example.com/login/generic_oauth", "http://127.0.0.1:3000/cb"],
        postLogoutRedirectUris: ["https://grafana.example.com/"],
        backchannelLogoutUri: "https://grafana.example.com/bc",
        firstParty: true,
        appScope: "flow",
      });
      const trail = await audit.list({ action: "oidc.client.create", subjectId: "grafana" });
      expect(trail.items).toHaveLength(1);
      expect(trail.items[0]).toMatchObject({ actorUserId: null, subjectType: "oidc_client" });
      expect(JSON.stringify(trail.items)).not.toContain(secret);
    });

    it("creates a public client without a secret, as JSON, and lists clients without secrets", async () => {
      const run = await marg(root.path, [
        "oidc:client",
        "create",
        "spa",
        "--name",
        "Single page",
        "--public",
        "--redirect-uri",
        "https://spa.example.com/cb",
        "--json",
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        secret: null,
        client: { clientId: "spa", type: "public" },
      });
      const listed = await marg(root.path, ["oidc:client", "list", "--json"]);
      expect(listed.code).toBe(0);
      const clients = JSON.parse(listed.stdout) as { clientId: string }[];
      expect(clients.map((c) => c.clientId)).toEqual(["grafana", "spa"]);
      expect(listed.stdout).not.toMatch(/marg_ocs_|"secret"|secret_hash/);
      const plain = await marg(root.path, ["oidc:client", "list"]);
      expect(plain.stdout.trim().split("\n")).toHaveLength(2);
      expect(plain.stdout).toContain("grafana\tGrafana\tconfidential,first-party\tapp flow\t");
    });

    it("refuses bad input as bad usage (exit 2) and a taken id as a failure (exit 1), storing nothing", async () => {
      const http = await marg(root.path, [
        "oidc:client",
        "create",
        "plain-http",
        "--name",
        "Plain",
        "--redirect-uri",
        "http://app.example.com/cb",
      ]);
      expect(http.code).toBe(2);
      expect(http.stderr).toContain("https://");
      const fragment = await marg(root.path, [
        "oidc:client",
        "create",
        "frag",
        "--name",
        "F",
        "--redirect-uri",
        "https://a.example.com/#x",
      ]);
      expect(fragment.code).toBe(2);
      const badId = await marg(root.path, [
        "oidc:client",
        "create",
        "Bad Id",
        "--name",
        "B",
        "--redirect-uri",
        "https://a.example.com/",
      ]);
      expect(badId.code).toBe(2);
      const taken = await marg(root.path, [
        "oidc:client",
        "create",
        "spa",
        "--name",
        "Again",
        "--redirect-uri",
        "https://a.example.com/",
      ]);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain("already exists");
      expect((await platform.oidcClients.list()).map((c) => c.clientId)).toEqual(["grafana", "spa"]);
    });

    it("rotates a secret: the new one printed once works, the old one stops; a public client has none", async () => {
      const run = await marg(root.path, ["oidc:client", "rotate-secret", "grafana", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      const { secret } = JSON.parse(run.stdout) as { secret: string };
      expect(await platform.oidcClients.verifySecret("grafana", secret)).toBe(true);
      expect(await platform.oidcClients.verifySecret("grafana", firstSecret)).toBe(false);
      expect((await platform.oidcClients.find("grafana"))?.secretRotatedAt).not.toBeNull();
      expect((await audit.list({ action: "oidc.client.rotate-secret" })).items).toHaveLength(1);
      const pub = await marg(root.path, ["oidc:client", "rotate-secret", "spa"]);
      expect(pub.code).toBe(1);
      expect(pub.stderr).toContain("PKCE");
      expect((await marg(root.path, ["oidc:client", "rotate-secret", "nobody"])).code).toBe(1);
    });

    it("deletes only with --yes when stdin is not a terminal", async () => {
      const unconfirmed = await marg(root.path, ["oidc:client", "delete", "spa"]);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toContain("--yes");
      expect(await platform.oidcClients.find("spa")).not.toBeNull();
      const run = await marg(root.path, ["oidc:client", "delete", "spa", "--yes", "--json"]);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ clientId: "spa", deleted: true });
      expect(await platform.oidcClients.find("spa")).toBeNull();
      expect((await audit.list({ action: "oidc.client.delete", subjectId: "spa" })).items).toHaveLength(1);
      expect((await marg(root.path, ["oidc:client", "delete", "spa", "--yes"])).code).toBe(1);
    });
  });
}
