/**
 * Issue 17, item 3: personal API tokens through a real `marg serve flow` over HTTP.
 * Tokens are made with the real CLI (`marg token:create`), used with
 * `Authorization: Bearer`, revoked with `marg token:revoke`; each bad token is
 * answered with its own code, and the token never reaches the server's log.
 * Reads and writes only a temp installation (SQLite, database drivers).
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { MARG_BIN, REPO_ROOT, type RunningProcess } from "../support/spawn-process.js";

const HOST = "flow.marg.test";
const MEMBER = "linus@marg.localhost";
let installation: MargInstallation;
let flow: RunningProcess | undefined;
let port = 0;

interface Answer {
  readonly status: number;
  readonly json: { error?: { code?: string } } & Record<string, unknown>;
  readonly headers: Headers;
}

async function call(
  path: string,
  token: string | undefined,
  options: { method?: string; body?: unknown; cookie?: string } = {},
): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: options.method ?? "GET",
    headers: {
      host: HOST,
      accept: "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? {} : JSON.parse(text), headers: response.headers };
}

/** `marg token:create … --json`, as a script would run it. */
async function createToken(args: readonly string[]): Promise<{ token: string; id: number }> {
  const out = await installation.run(["token:create", MEMBER, "--json", ...args]);
  return JSON.parse(out.slice(out.indexOf("{"))) as { token: string; id: number };
}

/** Changes a token's row behind the servers' backs (before its first use, so nothing cached it). */
function changeTokenRow(id: number, sql: string): void {
  const db = new Database(path.join(installation.root, "storage", "database", "marg-rbac.sqlite"));
  try {
    db.prepare(sql).run(id);
  } finally {
    db.close();
  }
}

/** The audit trail's rows for one token, oldest first, as the CLI wrote them. */
function tokenAuditRows(
  id: number,
): { action: string; actor: number | null; subject: string; after: Record<string, unknown> }[] {
  const db = new Database(path.join(installation.root, "storage", "database", "marg-rbac.sqlite"), {
    readonly: true,
  });
  try {
    const rows = db
      .prepare(
        "SELECT action, actor_user_id, subject_id, after_json FROM audit_log WHERE action LIKE 'account.token.%' ORDER BY id",
      )
      .all() as {
      action: string;
      actor_user_id: number | null;
      subject_id: string;
      after_json: string | null;
    }[];
    return rows
      .map((row) => ({
        action: row.action,
        actor: row.actor_user_id,
        subject: row.subject_id,
        after: JSON.parse(row.after_json ?? "{}") as Record<string, unknown>,
      }))
      .filter((row) => row.after.tokenId === id);
  } finally {
    db.close();
  }
}

/** `marg <args>` with its exit code and output, for the cases that must fail. */
function margExit(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync("node", [MARG_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MARG_ROOT: installation.root, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("personal API tokens on a running marg serve", () => {
  beforeAll(async () => {
    port = await freePort();
    installation = createMargInstallation("api-tokens");
    installation.writeSharedEnv({
      APP_KEY: `base64:${Buffer.alloc(32, 9).toString("base64")}`,
      APP_ENV: "testing",
      MARG_APPS: "flow,links",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "database",
      CACHE_STORE: "database",
      QUEUE_CONNECTION: "database",
      LOG_LEVEL: "debug",
    });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    flow = await installation.serve("flow", port);
  }, 180_000);
  afterAll(async () => {
    await flow?.stop(5_000);
    installation?.remove();
  });

  it("prints a token once with the CLI; it reads /api/v1/me and flow's tasks, and writes without CSRF", async () => {
    const { token } = await createToken([
      "--name",
      "ci",
      "--permissions",
      "tasks.view,tasks.create",
      "--apps",
      "flow",
    ]);
    expect(token).toMatch(/^marg_pat_[0-9A-Za-z]{38}$/);
    const me = await call("/api/v1/me", token);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { email: MEMBER }, csrfToken: null });
    expect(me.headers.get("set-cookie")).toBeNull();
    const tasks = await call("/api/v1/tasks", token);
    expect(tasks.status).toBe(200);
    const created = await call("/api/v1/tasks", token, { method: "POST", body: { title: "From a script" } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ data: { title: "From a script" } });
  });

  it("lists tokens with the CLI without their values, and a revoked one stops at once", async () => {
    const { token, id } = await createToken(["--name", "short-lived", "--permissions", "tasks.view"]);
    expect((await call("/api/v1/me", token)).status).toBe(200);
    const listed = await installation.run(["token:list", MEMBER]);
    expect(listed).toContain("short-lived");
    expect(listed).not.toContain(token);
    expect(await installation.run(["token:revoke", String(id)])).toContain(
      `Token ${id} 'short-lived' revoked.`,
    );
    const after = await call("/api/v1/me", token);
    expect([after.status, after.json.error?.code]).toEqual([401, "E_AUTH_TOKEN_REVOKED"]);
    // A second revoke changes nothing and records nothing.
    expect(await installation.run(["token:revoke", String(id)])).toContain("already revoked");
    const member = (
      await call("/api/v1/me", (await createToken(["--name", "who", "--permissions", "tasks.view"])).token)
    ).json as { user?: { id?: number } };
    const rows = tokenAuditRows(id);
    expect(rows.map((row) => [row.action, row.actor, row.subject])).toEqual([
      ["account.token.created", null, String(member.user?.id)],
      ["account.token.revoked", null, String(member.user?.id)],
    ]);
    expect(rows[0]?.after).toMatchObject({ via: "cli", name: "short-lived", permissions: "tasks.view" });
    expect(JSON.stringify(rows)).not.toContain(token.slice(9));
  });

  it("answers each bad token with its own code", async () => {
    const { token } = await createToken(["--name", "probe", "--permissions", "tasks.view"]);
    const linksOnly = await createToken([
      "--name",
      "links",
      "--permissions",
      "links.view",
      "--apps",
      "links",
    ]);
    const flipped = `${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    const deleted = await createToken(["--name", "deleted", "--permissions", "tasks.view"]);
    changeTokenRow(deleted.id, "DELETE FROM personal_access_tokens WHERE id = ?");
    const expired = await createToken([
      "--name",
      "expired",
      "--permissions",
      "tasks.view",
      "--expires",
      "1d",
    ]);
    changeTokenRow(expired.id, "UPDATE personal_access_tokens SET expires_at = 1000 WHERE id = ?");
    const cases: [string, number, string][] = [
      [`ghp_${token.slice(9)}`, 401, "E_AUTH_TOKEN_MALFORMED"],
      [flipped, 401, "E_AUTH_TOKEN_MALFORMED"],
      [deleted.token, 401, "E_AUTH_TOKEN_UNKNOWN"],
      [expired.token, 401, "E_AUTH_TOKEN_EXPIRED"],
      [linksOnly.token, 403, "E_AUTH_TOKEN_APP_REFUSED"],
    ];
    for (const [presented, status, code] of cases) {
      const answer = await call("/api/v1/me", presented);
      expect([answer.status, answer.json.error?.code], code).toEqual([status, code]);
    }
    const lacking = await call("/api/v1/tasks", token, { method: "POST", body: { title: "Not allowed" } });
    expect([lacking.status, lacking.json.error?.code]).toEqual([403, "E_RBAC_FORBIDDEN"]);
    const withCookie = await call("/api/v1/me", token, { cookie: "marg_session=anything" });
    expect([withCookie.status, withCookie.json.error?.code]).toEqual([400, "E_AUTH_TOKEN_WITH_COOKIE"]);
  });

  it("exits 2 on bad CLI input and 1 on a permission the user lacks, printing no token", async () => {
    const badExpiry = margExit(["token:create", MEMBER, "--name", "x", "--expires", "yesterday"]);
    expect(badExpiry.status).toBe(2);
    expect(badExpiry.output).toContain("is not an expiry");
    const lacking = margExit(["token:create", MEMBER, "--name", "x", "--permissions", "roles.manage"]);
    expect(lacking.status).toBe(1);
    expect(lacking.output).toContain("lacks roles.manage");
    expect(lacking.output).not.toContain("marg_pat_");
    expect(margExit(["token:revoke", "abc"]).status).toBe(2);
    expect(margExit(["token:revoke", "999999"]).status).toBe(1);
  });

  it("never writes a token to the server's log", async () => {
    const { token } = await createToken(["--name", "logged?", "--permissions", "tasks.view"]);
    await call("/api/v1/me", token);
    await call(`/api/v1/me?token=${token}`, token);
    await call("/api/v1/me", `${token}x`);
    const log = flow?.output() ?? "";
    expect(log).toContain("/api/v1/me");
    expect(log).not.toContain(token.slice(9));
  });
});
