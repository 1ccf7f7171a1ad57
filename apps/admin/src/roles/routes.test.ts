import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";

describe("admin roles and permissions pages", () => {
  let t: AdminTestApp;
  let grace: TestClient;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-roles");
    grace = await t.signIn("grace@marg.localhost");
  });
  afterAll(async () => t?.close());

  it("lists every role with its permissions and number of users", async () => {
    const page = await grace.get("/roles");
    expect(page.status).toBe(200);
    for (const role of ["super-admin", "admin", "member", "viewer"])
      expect(page.body).toContain(`href="/roles/${role}"`);
    expect(page.body).toContain('<span class="badge">links.stats</span>');
  });

  it("re-renders the new-role form with the problem beside the name", async () => {
    const invalid = await grace.submit("/roles", "/roles", { name: "Support Staff", description: "kept" });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toContain('id="f-name-error"');
    expect(invalid.body).toContain('value="kept"');
    const taken = await grace.submit("/roles", "/roles", { name: "member" });
    expect(taken.status).toBe(409);
    expect(taken.body).toContain("already exists");
  });

  it("creates a role, audited, and opens it", async () => {
    const response = await grace.submit("/roles", "/roles", {
      name: "support",
      description: "Answers <tickets>",
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe("/roles/support");
    const page = await grace.get("/roles/support");
    expect(page.body).toContain("Answers &lt;tickets&gt;");
    const [row] = await auditRows(t.db, "role.create");
    expect(row).toMatchObject({
      subject: "role:support",
      before: null,
      after: { name: "support", permissions: [] },
    });
  });

  it("grants and revokes a permission, audited, and other apps see the change", async () => {
    const nina = await t.admin.platform.users.create({
      name: "Nina",
      email: "nina@x.test",
      password: TEST_PASSWORD,
    });
    await t.admin.platform.rbac.assign(nina.id, "support");
    const ninaBrowser = await t.signIn("nina@x.test");
    expect((await ninaBrowser.get("/feedback")).status).toBe(403);

    expect(await t.flow.platform.rbac.can(nina.id, "reports.view")).toBe(false);

    await grace.submit("/roles/support", "/roles/support/grant", { permission: "feedback.view" });
    expect((await grace.get("/roles/support")).body).toContain("support may now feedback.view.");
    expect((await ninaBrowser.get("/feedback")).status).toBe(200);
    await grace.submit("/roles/support", "/roles/support/grant", { permission: "reports.view" });
    // Flow is another process with its own cache of nina's permissions: the change retires it
    // (servers poll the shared RBAC version, so this takes up to about a second).
    await expect.poll(() => t.flow.platform.rbac.can(nina.id, "reports.view"), { timeout: 5000 }).toBe(true);
    const [granted] = await auditRows(t.db, "role.grant");
    expect(granted).toMatchObject({ before: { permissions: [] }, after: { permissions: ["feedback.view"] } });

    await grace.submit("/roles/support", "/roles/support/revoke", { permission: "feedback.view" });
    expect((await ninaBrowser.get("/feedback")).status).toBe(403);
    const [revoked] = await auditRows(t.db, "role.revoke");
    expect(revoked).toMatchObject({
      before: { permissions: ["feedback.view", "reports.view"] },
      after: { permissions: ["reports.view"] },
    });
  });

  it("explains an unknown permission instead of failing", async () => {
    const response = await grace.submit("/roles/support", "/roles/support/grant", {
      permission: "nope.nothing",
    });
    expect(response.status).toBe(303);
    expect((await grace.get("/roles/support")).body).toContain("No permission &#39;nope.nothing&#39;");
  });

  it("protects the built-in super-admin role", async () => {
    const page = await grace.get("/roles/super-admin");
    expect(page.body).not.toContain("/roles/super-admin/delete");
    expect(page.body).not.toContain("/roles/super-admin/grant");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    // An admin is refused by the access policy before the role's own protection is reached.
    const response = await grace.post("/roles/super-admin/delete", { _csrf: csrf });
    expect(response.status).toBe(403);
    expect(response.body).toContain("Only a super-admin can delete the role");
    expect((await t.admin.platform.rbac.listRoles()).some((role) => role.name === "super-admin")).toBe(true);
  });

  it("answers 404 for a role that does not exist or cannot", async () => {
    expect((await grace.get("/roles/wizard")).status).toBe(404);
    expect((await grace.get("/roles/NOT%20valid")).status).toBe(404);
  });

  it("deletes a role and its assignments, audited with what it had", async () => {
    await grace.submit("/roles/support", "/roles/support/grant", { permission: "tasks.view" });
    const response = await grace.submit("/roles/support", "/roles/support/delete", {});
    expect(response.location).toBe("/roles");
    expect((await grace.get("/roles")).body).toContain("Role support deleted.");
    const [row] = await auditRows(t.db, "role.delete");
    expect(row?.before).toMatchObject({
      name: "support",
      permissions: ["reports.view", "tasks.view"],
      userIds: [expect.any(Number)],
    });
    expect(row?.after).toBeNull();
    expect(
      await t.db.selectFrom("user_roles").selectAll().where("role_id", "=", row?.before.id).execute(),
    ).toEqual([]);
  });

  describe("who has what", () => {
    it("lists each permission with the roles that give it, wildcards included, and the number of holders", async () => {
      const page = await grace.get("/permissions");
      const row = page.body.split("<tr>").find((tr) => tr.includes('href="/permissions/tasks.delete"')) ?? "";
      expect(row).toContain('href="/roles/admin"');
      expect(row).toContain("(tasks.*)");
      expect(row).toContain('href="/roles/super-admin"');
      expect(row).not.toContain('href="/roles/member"');
      expect(row).toMatch(/<td>2<\/td>/);
    });

    it("names each holder of one permission and through which role or grant", async () => {
      await t.admin.platform.rbac.grantToUser(t.users.viewer.id, "reports.view");
      const page = await grace.get("/permissions/reports.view");
      const vera = page.body.split("<tr>").find((tr) => tr.includes("Vera Viewer")) ?? "";
      expect(vera).toContain('role <a href="/roles/viewer">viewer</a>');
      expect(vera).toContain("direct grant <code>reports.view</code>");
      const ada = page.body.split("<tr>").find((tr) => tr.includes("Ada Lovelace")) ?? "";
      expect(ada).toContain("super-admin");
      expect((await grace.get("/permissions/no.such")).status).toBe(404);
    });
  });
});
