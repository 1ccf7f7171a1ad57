import { csrfTokenIn, type TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolesOfUser } from "../roles/repository.js";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";

/** Posts to `action` with the session's CSRF token taken from `page` (its sign-out form), as a crafted request would. */
async function forge(browser: TestClient, page: string, action: string, fields: Record<string, string>) {
  const csrf = csrfTokenIn((await browser.get(page)).body, "/logout") ?? "";
  return browser.post(action, { _csrf: csrf, ...fields });
}

describe("admin routes: no one grants more than they hold (forms and /api/v1)", () => {
  let t: AdminTestApp;
  let grace: TestClient;
  let graceApi: TestClient;
  let adaApi: TestClient;
  let ids: { ada: number; grace: number; linus: number; vera: number };

  const memberGrants = async () =>
    (await t.admin.platform.rbac.listRoles()).find((role) => role.name === "member")?.permissions ?? [];
  const refusals = () => auditRows(t.db, "access.refused");

  beforeAll(async () => {
    t = await startAdminTestApp("admin-access-policy");
    ids = {
      ada: t.users["super-admin"].id,
      grace: t.users.admin.id,
      linus: t.users.member.id,
      vera: t.users.viewer.id,
    };
    grace = await t.signIn("grace@marg.localhost");
    graceApi = grace;
    adaApi = await t.signIn("ada@marg.localhost");
  });
  afterAll(async () => t?.close());

  describe("grace (admin) through the HTML forms", () => {
    it("cannot make herself super-admin: a 403 page with the reason, audited", async () => {
      const response = await grace.submit(`/users/${ids.grace}`, `/users/${ids.grace}/roles`, {
        role: "super-admin",
      });
      expect(response.status).toBe(403);
      expect(response.body).toContain("Only a super-admin can assign the role &#39;super-admin&#39;");
      expect(await rolesOfUser(t.db, ids.grace)).toEqual(["admin"]);
      expect((await refusals()).at(-1)).toMatchObject({
        actorUserId: ids.grace,
        subject: `user:${ids.grace}`,
        after: {
          attempted: { kind: "assign-role", role: "super-admin", userId: ids.grace },
          code: "E_RBAC_SUPER_ADMIN_REQUIRED",
        },
      });
    });

    it("is offered Grant and Revoke on a role's page only for what she holds", async () => {
      const page = (await grace.get("/roles/member")).body;
      const row = (name: string) =>
        page.split("<tr>").find((tr) => tr.includes(`<code>${name}</code>`)) ?? "";
      expect(row("links.delete")).toContain('action="/roles/member/grant"');
      expect(row("*")).not.toContain("/roles/member/grant");
      expect(row("audit.view")).toContain("/roles/member/grant");
    });

    it("cannot grant * to member", async () => {
      const response = await grace.submit("/roles/member", "/roles/member/grant", { permission: "*" });
      expect(response.status).toBe(403);
      expect(response.body).toContain("which you do not hold yourself");
      expect(await memberGrants()).not.toContain("*");
      expect((await refusals()).at(-1)).toMatchObject({
        actorUserId: ids.grace,
        subject: "role:member",
        after: { code: "E_RBAC_GRANT_EXCEEDS_HOLDER" },
      });
      // What she holds, a wildcard included, she still grants.
      const held = await grace.submit("/roles/member", "/roles/member/grant", { permission: "links.*" });
      expect(held.status).toBe(303);
      expect(await memberGrants()).toContain("links.*");
    });

    it("is not offered what the policy would refuse: super-admin in her role list, buttons on ada's page", async () => {
      const own = (await grace.get(`/users/${ids.grace}`)).body;
      expect(own).toContain(`action="/users/${ids.grace}/roles"`);
      expect(own).not.toContain('value="super-admin"');
      expect(own).toContain('value="links.delete"');
      expect(own).not.toContain('value="*"');
      const adas = (await grace.get(`/users/${ids.ada}`)).body;
      for (const action of ["disable", "reset-password", "roles", "permissions"])
        expect(adas, action).not.toContain(`action="/users/${ids.ada}/${action}"`);
    });

    it("cannot disable ada, the super-admin, even posting the form herself", async () => {
      const response = await forge(grace, `/users/${ids.ada}`, `/users/${ids.ada}/disable`, {});
      expect(response.status).toBe(403);
      expect((await t.admin.platform.users.findById(ids.ada))?.disabledAt).toBeNull();
      expect((await refusals()).at(-1)).toMatchObject({
        subject: `user:${ids.ada}`,
        after: { attempted: { kind: "account", action: "disable" } },
      });
    });

    it("cannot create an account with the super-admin role", async () => {
      const response = await grace.submit("/users/new", "/users", {
        name: "Mallory",
        email: "mallory@x.test",
        password: "a long enough passphrase",
        role: "super-admin",
      });
      expect(response.status).toBe(403);
      expect(await t.admin.platform.users.findByEmail("mallory@x.test")).toBeNull();
    });
  });

  describe("grace (admin) through /api/v1", () => {
    it("cannot make herself super-admin", async () => {
      const response = await graceApi.sendJson("PUT", `/api/v1/users/${ids.grace}/roles/super-admin`);
      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ error: { code: "E_RBAC_SUPER_ADMIN_REQUIRED" } });
      expect(await rolesOfUser(t.db, ids.grace)).toEqual(["admin"]);
    });

    it("cannot grant * to member, nor to a user directly", async () => {
      const toRole = await graceApi.sendJson("PUT", "/api/v1/roles/member/permissions/*");
      expect(toRole.status).toBe(403);
      expect(toRole.json).toMatchObject({ error: { code: "E_RBAC_GRANT_EXCEEDS_HOLDER" } });
      const toUser = await graceApi.sendJson("PUT", `/api/v1/users/${ids.linus}/permissions/*`);
      expect(toUser.status).toBe(403);
      expect(await memberGrants()).not.toContain("*");
    });

    it("cannot disable, enable or mail a reset link to a super-admin", async () => {
      for (const action of ["disable", "enable", "reset-password"]) {
        const response = await graceApi.sendJson("POST", `/api/v1/users/${ids.ada}/${action}`);
        expect(response.status, action).toBe(403);
        expect(response.json, action).toMatchObject({ error: { code: "E_RBAC_SUPER_ADMIN_REQUIRED" } });
      }
      expect((await t.admin.platform.users.findById(ids.ada))?.disabledAt).toBeNull();
    });

    it("cannot revoke what she does not hold, but can revoke what she does", async () => {
      await t.admin.platform.rbac.grantToUser(ids.vera, "*");
      const stripped = await graceApi.sendJson("DELETE", `/api/v1/users/${ids.vera}/permissions/*`);
      expect(stripped.status).toBe(403);
      const revoked = await graceApi.sendJson("DELETE", "/api/v1/roles/member/permissions/links.*");
      expect(revoked.json).toEqual({ changed: true, permissions: expect.not.arrayContaining(["links.*"]) });
      await t.admin.platform.rbac.revokeFromUser(ids.vera, "*");
    });

    it("describes the grant endpoints in the OpenAPI document", async () => {
      const response = await graceApi.getJson("/api/docs/json");
      const paths = (response.json as { paths: Record<string, Record<string, unknown>> }).paths;
      for (const path of [
        "/api/v1/roles/{name}/permissions/{permission}",
        "/api/v1/users/{id}/permissions/{permission}",
      ])
        expect(Object.keys(paths[path] ?? {}).sort(), path).toEqual(["delete", "put"]);
    });

    it("left one audit row per refusal, each naming grace", async () => {
      const rows = await refusals();
      expect(rows.length).toBeGreaterThanOrEqual(10);
      expect(new Set(rows.map((row) => row.actorUserId))).toEqual(new Set([ids.grace]));
    });
  });

  describe("ada (super-admin)", () => {
    it("grants * to member and takes it back", async () => {
      expect((await adaApi.sendJson("PUT", "/api/v1/roles/member/permissions/*")).status).toBe(200);
      expect(await memberGrants()).toContain("*");
      expect((await adaApi.sendJson("DELETE", "/api/v1/roles/member/permissions/*")).status).toBe(200);
    });

    it("cannot disable or demote herself while she is the last active super-admin", async () => {
      const disable = await adaApi.sendJson("POST", `/api/v1/users/${ids.ada}/disable`);
      expect(disable.status).toBe(409);
      expect(disable.json).toMatchObject({ error: { code: "E_RBAC_LAST_SUPER_ADMIN" } });
      const demote = await adaApi.sendJson("DELETE", `/api/v1/users/${ids.ada}/roles/super-admin`);
      expect(demote.status).toBe(409);
      expect(demote.json).toMatchObject({ error: { code: "E_RBAC_LAST_SUPER_ADMIN" } });
    });

    it("makes grace super-admin, after which grace may change ada", async () => {
      expect((await adaApi.sendJson("PUT", `/api/v1/users/${ids.grace}/roles/super-admin`)).status).toBe(200);
      expect((await graceApi.sendJson("POST", `/api/v1/users/${ids.ada}/reset-password`)).status).toBe(202);
      expect((await adaApi.sendJson("DELETE", `/api/v1/users/${ids.grace}/roles/super-admin`)).status).toBe(
        200,
      );
    });
  });
});
