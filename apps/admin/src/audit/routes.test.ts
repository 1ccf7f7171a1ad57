import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";

describe("admin audit log page and API", () => {
  let t: AdminTestApp;
  let grace: TestClient;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-audit-routes");
    grace = await t.signIn("grace@marg.localhost");
    const id = t.users.viewer.id;
    await grace.submit(`/users/${id}`, `/users/${id}/disable`, {});
    await grace.submit(`/users/${id}`, `/users/${id}/enable`, {});
    await grace.submit("/roles/viewer", "/roles/viewer/grant", { permission: "tasks.create" });
  });
  afterAll(async () => t?.close());

  it("lists every admin action with who did it, on what, and what changed, after the account events before them", async () => {
    const page = await grace.get("/audit");
    expect(page.status).toBe(200);
    const rows = page.body.split("<tr>").slice(2);
    // Grace's sign-in is an account event in the same trail.
    expect(rows.map((row) => /<code>([a-z.-]+)<\/code>/.exec(row)?.[1])).toEqual([
      "role.grant",
      "user.enable",
      "user.disable",
      "account.sign-in",
    ]);
    const disable = rows[2] ?? "";
    expect(disable).toContain(`<a href="/users/${t.users.admin.id}">Grace Hopper</a>`);
    expect(disable).toContain(`<a href="/users/${t.users.viewer.id}">user #${t.users.viewer.id}</a>`);
    expect(disable).toContain("<code>disabled</code>: <del>false</del> → <ins>true</ins>");
    expect(rows[0]).toContain('<a href="/roles/viewer">role viewer</a>');
  });

  it("shows account events from the sign-in page beside admin actions: who, from which IP, on which app", async () => {
    await t
      .client()
      .submit("/login", "/login", { email: "grace@marg.localhost", password: "not her password" });
    const page = await grace.get("/audit?action=account.");
    const rows = page.body.split("<tr>").slice(2);
    expect(rows.map((row) => /<code>([a-z.-]+)<\/code>/.exec(row)?.[1])).toEqual([
      "account.sign-in.failed",
      "account.sign-in",
    ]);
    const failed = rows[0] ?? "";
    expect(failed).toContain('<span class="muted">system</span>');
    expect(failed).toContain(`<a href="/users/${t.users.admin.id}">user #${t.users.admin.id}</a>`);
    expect(failed).toContain("<code>reason</code>: <ins>&quot;invalid&quot;</ins>");
    expect(failed).toContain("127.0.0.1");
    expect(failed).not.toContain("not her password");
    expect(rows[1]).toContain(`<a href="/users/${t.users.admin.id}">Grace Hopper</a>`);
    expect(rows[1]).toContain("<code>app</code>: <ins>&quot;admin&quot;</ins>");
  });

  it("filters by an action prefix and by subject, and ignores malformed filters", async () => {
    const users = await grace.get("/audit?action=user.");
    expect(users.body).toContain("user.disable");
    expect(users.body).not.toContain("<code>role.grant</code>");
    const subject = await grace.get(`/audit?subjectType=role&subjectId=viewer`);
    expect(subject.body).toContain("<code>role.grant</code>");
    expect(subject.body).not.toContain("user.enable");
    const odd = await grace.get("/audit?action=%25%27--&page=zero");
    expect(odd.status).toBe(200);
    expect(odd.body).toContain("<code>role.grant</code>");
    expect((await grace.get("/audit?action=nothing.here")).body).toContain("Nothing matches");
  });

  it("serves the same entries as JSON", async () => {
    const response = await grace.getJson("/api/v1/audit?action=user.disable");
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      total: 1,
      items: [
        {
          action: "user.disable",
          actorUserId: t.users.admin.id,
          actorName: "Grace Hopper",
          subjectType: "user",
          subjectId: String(t.users.viewer.id),
          before: { disabled: false },
          after: { disabled: true },
        },
      ],
    });
  });

  it("is only for those with audit.view", async () => {
    const ivy = await t.admin.platform.users.create({
      name: "Ivy",
      email: "ivy@x.test",
      password: TEST_PASSWORD,
    });
    await t.admin.platform.rbac.grantToUser(ivy.id, "users.view");
    const browser = await t.signIn("ivy@x.test");
    expect((await browser.get("/audit")).status).toBe(403);
    expect((await browser.getJson("/api/v1/audit")).status).toBe(403);
    const userPage = await browser.get(`/users/${t.users.viewer.id}`);
    expect(userPage.status).toBe(200);
    expect(userPage.body).not.toContain("Recent changes");
  });
});
