import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import { AuditLog } from "../../audit/audit-log.js";
import type { AuditDatabase } from "../../audit/audit-schema.js";

const EMAIL = "ann@example.com";

describe("sign-in, sign-out and sign-out everywhere land in the audit log", () => {
  let t: AccountTestApps;
  let annId = 0;
  const trail = async () => {
    const db = t.apps.flow?.platform.rbacDb as unknown as Kysely<AuditDatabase>;
    return (await new AuditLog(db).list({ action: "account.", perPage: 100 })).items;
  };

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "sign-in-events", env: { LOGIN_FREE_FAILURES: "3" } });
    annId = (await t.createUser({ name: "Ann Example", email: EMAIL })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("records a failed sign-in on the account it names, with the IP, and never the password", async () => {
    const browser = t.browser();
    await browser.submit("/login", "/login", { email: EMAIL, password: "not-the-password" });
    await browser.submit("/login", "/login", { email: "nobody@example.com", password: "guess" });
    const [unknown, known] = await trail();
    expect(known).toMatchObject({
      action: "account.sign-in.failed",
      subjectId: String(annId),
      actorUserId: null,
      ip: "127.0.0.1",
      after: { app: "flow", reason: "invalid" },
    });
    expect(unknown).toMatchObject({ action: "account.sign-in.failed", subjectId: "", actorUserId: null });
    const stored = JSON.stringify(await trail());
    expect(stored).not.toContain("not-the-password");
    expect(stored).not.toContain("nobody@example.com");
  });

  it("records the sign-in and the sign-out, each on the app it happened on", async () => {
    const browser = t.browser("links");
    expect((await browser.submit("/login", "/login", { email: EMAIL, password: TEST_PASSWORD })).status).toBe(
      303,
    );
    await browser.submit("/account", "/logout", {});
    const [signOut, signIn] = await trail();
    expect(signIn).toMatchObject({
      action: "account.sign-in",
      subjectId: String(annId),
      after: { app: "links" },
    });
    expect(signOut).toMatchObject({
      action: "account.sign-out",
      subjectId: String(annId),
      after: { app: "links" },
    });
  });

  it("records sign-out everywhere as a sign-out of every session", async () => {
    const browser = t.browser();
    await browser.submit("/login", "/login", { email: EMAIL, password: TEST_PASSWORD });
    await browser.submit("/account", "/logout-everywhere", {});
    const [everywhere] = await trail();
    expect(everywhere).toMatchObject({
      action: "account.sign-out",
      subjectId: String(annId),
      after: { app: "flow", everywhere: true },
    });
  });

  it("does not record attempts the throttle refused (they checked no password)", async () => {
    await t.createUser({ name: "Bea", email: "bea@example.com" });
    const before = (await trail()).length;
    const browser = t.browser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await browser.submit("/login", "/login", { email: "bea@example.com", password: `wrong ${i}` }))
          .status,
      );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await trail()).length - before).toBe(3);
  });
});

describe("a token made and revoked on the account page is recorded with the app it happened on", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "token-events" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("names links on token.created and token.revoked, and never the token", async () => {
    const user = await t.createUser({ name: "Tok Holder", email: "tok@example.com" });
    const links = t.apps.links?.platform;
    await links?.rbac.createPermission("tasks.view");
    await links?.rbac.grantToUser(user.id, "tasks.view");
    const browser = t.browser("links");
    await browser.submit("/login", "/login", { email: "tok@example.com", password: TEST_PASSWORD });
    const made = await browser.submit("/account", "/account/tokens", {
      name: "ci",
      permissions_text: "tasks.view",
    });
    expect(made.status).toBe(200);
    const token = /marg_pat_[0-9A-Za-z]+/.exec(made.body)?.[0] ?? "";
    expect(token).not.toBe("");
    const [record] = (await links?.accounts.tokens.list(user.id)) ?? [];
    const revoked = await browser.submit("/account", `/account/tokens/${record?.id}/revoke`, {});
    expect(revoked.status).toBe(303);
    const db = links?.rbacDb as unknown as Kysely<AuditDatabase>;
    const rows = (await new AuditLog(db).list({ action: "account.token.", perPage: 10 })).items;
    expect(rows.map((row) => [row.action, row.after])).toEqual([
      ["account.token.revoked", expect.objectContaining({ app: "links", tokenId: record?.id })],
      ["account.token.created", expect.objectContaining({ app: "links", name: "ci" })],
    ]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
