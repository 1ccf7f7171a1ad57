import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";
import { queuedMails } from "../test-support/queue-fixtures.js";

describe("admin users pages", () => {
  let t: AdminTestApp;
  let grace: TestClient;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-users");
    grace = await t.signIn("grace@marg.localhost");
  });
  afterAll(async () => t?.close());

  describe("the list", () => {
    it("lists every user with status, newest first", async () => {
      const page = await grace.get("/users");
      expect(page.status).toBe(200);
      expect(page.body).toContain("4 users");
      expect(page.body.indexOf("Vera Viewer")).toBeLessThan(page.body.indexOf("Ada Lovelace"));
    });

    it("finds users by part of their name or email, and says when nothing matches", async () => {
      const found = await grace.get("/users?q=GRACE");
      expect(found.body).toContain("Grace Hopper");
      expect(found.body).not.toContain("Linus Member");
      expect(found.body).toContain('value="GRACE"');
      const none = await grace.get("/users?q=nobody-by-that-name");
      expect(none.body).toContain("No user matches");
    });

    it("filters by status and pages through long lists", async () => {
      for (let i = 0; i < 26; i += 1) {
        await t.admin.platform.users.create({
          name: `Bulk ${i}`,
          email: `bulk${i}@x.test`,
          password: TEST_PASSWORD,
        });
      }
      const first = await grace.get("/users?q=bulk");
      expect(first.body).toContain("26 users");
      expect(first.body).toContain('href="/users?q=bulk&amp;page=2"');
      const second = await grace.get("/users?q=bulk&page=2");
      expect(second.body).toContain("Page 2 of 2");
      expect(second.body).toContain("Bulk 0");
      const disabled = await grace.get("/users?status=disabled");
      expect(disabled.body).toContain("No user matches");
    });

    it("ignores nonsense in the query instead of failing", async () => {
      const page = await grace.get("/users?page=-3&status=weird&perPage=100000");
      expect(page.status).toBe(200);
    });

    it("shows the “New user” button only to those who may create users", async () => {
      expect((await grace.get("/users")).body).toContain('href="/users/new"');
      const hal = await t.admin.platform.users.create({
        name: "Hal",
        email: "hal@x.test",
        password: TEST_PASSWORD,
      });
      await t.admin.platform.rbac.grantToUser(hal.id, "users.view");
      const viewer = await t.signIn("hal@x.test");
      const page = await viewer.get("/users");
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('href="/users/new"');
      expect((await viewer.get("/users/new")).status).toBe(403);
      const detail = await viewer.get(`/users/${t.users.member.id}`);
      expect(detail.body).not.toContain("/disable");
      expect(detail.body).not.toContain("/roles/remove");
    });
  });

  describe("creating a user", () => {
    it("re-renders the form with a message beside each field and keeps what was typed", async () => {
      const response = await grace.submit("/users/new", "/users", {
        name: "",
        email: "not-an-address",
        password: "short",
        role: "member",
      });
      expect(response.status).toBe(422);
      expect(response.body).toContain('id="f-name-error"');
      expect(response.body).toContain("Enter a valid email address");
      expect(response.body).toContain("at least 12 characters");
      expect(response.body).toContain('value="not-an-address"');
      expect(response.body).not.toContain('value="short"');
      expect(response.body).toMatch(/<option value="member"\s+selected>/);
    });

    it("asks for a password or a reset link", async () => {
      const response = await grace.submit("/users/new", "/users", { name: "Ann", email: "ann@x.test" });
      expect(response.status).toBe(422);
      expect(response.body).toContain("Give an initial password, or choose to send a reset link.");
    });

    it("creates the account with its first role, audits it, and opens its page", async () => {
      const response = await grace.submit("/users/new", "/users", {
        name: "Nora New",
        email: "Nora@X.test",
        password: "a long enough passphrase",
        role: "viewer",
      });
      expect(response.status).toBe(303);
      const created = await t.admin.platform.users.findByEmail("nora@x.test");
      expect(response.location).toBe(`/users/${created?.id}`);
      const page = await grace.get(response.location ?? "");
      expect(page.body).toContain("Nora New was created.");
      expect(page.body).toContain('<span class="badge">viewer</span>');
      const [row] = await auditRows(t.db, "user.create");
      expect(row).toMatchObject({
        actorUserId: t.users.admin.id,
        subject: `user:${created?.id}`,
        before: null,
        after: { name: "Nora New", email: "Nora@X.test", disabled: false, roles: ["viewer"] },
        ip: "127.0.0.1",
      });
      expect(JSON.stringify(row)).not.toContain("passphrase");
      const signIn = await t.client("flow").submit("/login", "/login", {
        email: "nora@x.test",
        password: "a long enough passphrase",
      });
      expect(signIn.status).toBe(303);
    });

    it("refuses a taken address next to the email field", async () => {
      const response = await grace.submit("/users/new", "/users", {
        name: "Twin",
        email: "LINUS@marg.localhost",
        password: "a long enough passphrase",
      });
      expect(response.status).toBe(409);
      expect(response.body).toContain('id="f-email-error"');
      expect(response.body).toContain("already exists");
    });

    it("queues a mail with a link to the flow app when no password is given", async () => {
      const response = await grace.submit("/users/new", "/users", {
        name: "Lena Link",
        email: "lena@x.test",
        sendResetLink: "on",
      });
      expect(response.status).toBe(303);
      const mail = (await queuedMails(t.db)).find((m) => m.to === "lena@x.test");
      expect(mail?.subject).toBe("Your MARG account");
      expect(mail?.text).toMatch(/http:\/\/flow\.marg\.test\/reset-password\?token=[\w-]{43}/);
    });

    it("shows a name full of markup as text, everywhere", async () => {
      await grace.submit("/users/new", "/users", {
        name: "<script>alert(1)</script>",
        email: "xss@x.test",
        password: "a long enough passphrase",
      });
      const list = await grace.get("/users?q=xss");
      expect(list.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(list.body).not.toContain("<script>alert(1)</script>");
      const audit = await grace.get("/audit?action=user.create");
      expect(audit.body).toContain("&lt;script&gt;");
      expect(audit.body).not.toContain("<script>alert(1)</script>");
    });
  });

  describe("a user's page", () => {
    it("shows roles, direct grants and open sessions", async () => {
      await t.signIn("linus@marg.localhost", "flow");
      const page = await grace.get(`/users/${t.users.member.id}`);
      expect(page.body).toContain("linus@marg.localhost");
      expect(page.body).toContain('<span class="badge">member</span>');
      expect(page.body).toMatch(/Open sessions<\/dt><dd>1<\/dd>/);
    });

    it("answers 404 for unknown or malformed ids", async () => {
      expect((await grace.get("/users/999999")).status).toBe(404);
      expect((await grace.get("/users/abc")).status).toBe(404);
    });

    it("disables a user, ends their sessions, and audits before and after", async () => {
      const vera = await t.signIn("vera@marg.localhost", "flow");
      const id = t.users.viewer.id;
      const response = await grace.submit(`/users/${id}`, `/users/${id}/disable`, {});
      expect(response.status).toBe(303);
      const page = await grace.get(`/users/${id}`);
      expect(page.body).toContain("Vera Viewer is disabled; 1 open session was ended.");
      expect(page.body).toContain("badge-danger");
      expect((await vera.get("/account")).location).toMatch(/^\/login/);
      const [row] = await auditRows(t.db, "user.disable");
      expect(row?.before).toMatchObject({ id, disabled: false, disabledAt: null });
      expect(row?.after).toMatchObject({ id, disabled: true });
      expect(row?.actorUserId).toBe(t.users.admin.id);
    });

    it("enables the user again, audited", async () => {
      const id = t.users.viewer.id;
      await grace.submit(`/users/${id}`, `/users/${id}/enable`, {});
      expect((await t.admin.platform.users.findById(id))?.disabledAt).toBeNull();
      const [row] = await auditRows(t.db, "user.enable");
      expect(row?.before).toMatchObject({ disabled: true });
      expect(row?.after).toMatchObject({ disabled: false, disabledAt: null });
    });

    it("refuses to let an admin disable their own account", async () => {
      const own = await grace.get(`/users/${t.users.admin.id}`);
      expect(own.body).not.toContain("/disable");
      const csrf = /name="_csrf" value="([^"]+)"/.exec(own.body)?.[1] ?? "";
      const response = await grace.post(`/users/${t.users.admin.id}/disable`, { _csrf: csrf });
      expect(response.status).toBe(303);
      expect((await grace.get(response.location ?? "")).body).toContain(
        "You cannot disable your own account",
      );
      expect((await t.admin.platform.users.findById(t.users.admin.id))?.disabledAt).toBeNull();
    });

    it("queues a reset link on request, audited without the token, and the link works", async () => {
      const id = t.users.member.id;
      const response = await grace.submit(`/users/${id}`, `/users/${id}/reset-password`, {});
      expect((await grace.get(response.location ?? "")).body).toContain(
        "A password-reset link was mailed to linus@marg.localhost.",
      );
      const mail = (await queuedMails(t.db)).find((m) => m.to === "linus@marg.localhost");
      expect(mail?.subject).toBe("Reset your MARG password");
      const token = /token=([\w-]+)/.exec(mail?.text ?? "")?.[1] ?? "";
      expect(token).toHaveLength(43);
      const [row] = await auditRows(t.db, "user.password-reset-mail");
      expect(row?.subject).toBe(`user:${id}`);
      expect(JSON.stringify(row)).not.toContain(token);
      const reset = await t.client("flow").submit(`/reset-password?token=${token}`, "/reset-password", {
        token,
        password: TEST_PASSWORD,
      });
      expect(reset.status).toBe(303);
    });

    it("assigns and removes roles, each audited with the roles before and after", async () => {
      const id = t.users.member.id;
      await grace.submit(`/users/${id}`, `/users/${id}/roles`, { role: "viewer" });
      expect((await grace.get(`/users/${id}`)).body).toContain("Role viewer assigned.");
      const [assigned] = await auditRows(t.db, "user.role-assign");
      expect(assigned).toMatchObject({
        before: { roles: ["member"] },
        after: { roles: ["member", "viewer"] },
      });
      await grace.submit(`/users/${id}`, `/users/${id}/roles/remove`, { role: "viewer" });
      const [removed] = await auditRows(t.db, "user.role-unassign");
      expect(removed).toMatchObject({
        before: { roles: ["member", "viewer"] },
        after: { roles: ["member"] },
      });
    });

    it("explains an unknown role instead of failing", async () => {
      const id = t.users.member.id;
      const response = await grace.submit(`/users/${id}`, `/users/${id}/roles`, { role: "wizard" });
      expect(response.status).toBe(303);
      expect((await grace.get(`/users/${id}`)).body).toContain("No role &#39;wizard&#39;");
    });

    it("grants and revokes a direct permission, and the user can use it at once on another app", async () => {
      const id = t.users.member.id;
      await grace.submit(`/users/${id}`, `/users/${id}/permissions`, { permission: "health.view" });
      const [granted] = await auditRows(t.db, "user.permission-grant");
      expect(granted).toMatchObject({ before: { permissions: [] }, after: { permissions: ["health.view"] } });
      const linus = await t.signIn("linus@marg.localhost");
      expect((await linus.get("/health-overview")).status).toBe(200);
      await grace.submit(`/users/${id}`, `/users/${id}/permissions/remove`, { permission: "health.view" });
      expect((await linus.get("/health-overview")).status).toBe(403);
      expect(await auditRows(t.db, "user.permission-revoke")).toHaveLength(1);
    });

    it("does not let a member post admin actions, even with a valid CSRF token", async () => {
      const linus = await t.signIn("linus@marg.localhost");
      const account = await linus.get("/account");
      const csrf = /name="_csrf" value="([^"]+)"/.exec(account.body)?.[1] ?? "";
      const response = await linus.post(`/users/${t.users.viewer.id}/disable`, { _csrf: csrf });
      expect(response.status).toBe(403);
      expect((await t.admin.platform.users.findById(t.users.viewer.id))?.disabledAt).toBeNull();
    });
  });
});
