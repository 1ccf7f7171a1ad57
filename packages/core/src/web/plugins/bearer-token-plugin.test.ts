import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineApp } from "../../app/app-definition.js";
import { newApiToken } from "../../auth/api-tokens/api-token-format.js";
import type { AuthDatabase } from "../../auth/auth-schema.js";
import { startTestApp, type TestApp } from "../../testing/start-test-app.js";
import type { TestResponse } from "../../testing/test-client.js";
import { requireAuth } from "../require-auth.js";

/** A flow-like app: one API read and one API write behind permissions, and one page. */
const probe = defineApp({
  id: "flow",
  title: "Flow",
  routes(app) {
    const guard = (permission: string) => [requireAuth, app.rbacGuards.requirePermission(permission)];
    app.get("/api/v1/probe", { preHandler: guard("tasks.view") }, async (request) => ({
      user: request.user?.email,
      canUpdate: await request.can("tasks.update"),
      token: request.apiToken?.name ?? null,
    }));
    app.post("/api/v1/probe", { preHandler: guard("tasks.create") }, async (_request, reply) =>
      reply.code(201).send({ created: true }),
    );
    app.get("/probe-page", { preHandler: requireAuth }, async (request) => `page for ${request.user?.email}`);
  },
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const codeOf = (response: TestResponse) => (response.json as { error?: { code?: string } }).error?.code;

for (const redis of [false, true]) {
  describe(`Authorization: Bearer on /api/v1 (${redis ? "Redis" : "database"} sessions and cache)`, () => {
    let t: TestApp<"super-admin" | "admin" | "member" | "viewer">;

    beforeAll(async () => {
      t = await startTestApp(probe, { label: `bearer-${redis ? "redis" : "db"}`, redis });
    });
    afterAll(async () => {
      await t?.close();
    });

    async function tokenFor(
      person: "member" | "viewer",
      permissions: string[],
      extra: { apps?: string[]; expiresAt?: number } = {},
    ) {
      return t.platform.accounts.tokens.create(t.users[person].id, { name: "script", permissions, ...extra });
    }

    it("makes the holder the user of /api/v1/me, with no CSRF token and no session", async () => {
      const { token } = await tokenFor("member", ["tasks.view"]);
      const me = await t.client().getJson("/api/v1/me", { headers: bearer(token) });
      expect(me.status).toBe(200);
      expect(me.json).toMatchObject({ user: { email: t.users.member.email }, csrfToken: null });
      expect(me.headers["set-cookie"]).toBeUndefined();
    });

    it("allows what both the holder and the token allow, and nothing more", async () => {
      const { token } = await tokenFor("member", ["tasks.view"]);
      const read = await t.client().getJson("/api/v1/probe", { headers: bearer(token) });
      expect(read.status).toBe(200);
      // The member may update tasks; this token may not.
      expect(read.json).toEqual({ user: t.users.member.email, canUpdate: false, token: "script" });
      const write = await t.client().send("POST", "/api/v1/probe", "{}", {
        ...bearer(token),
        accept: "application/json",
        "content-type": "application/json",
      });
      expect(write.status).toBe(403);
      expect(codeOf(write)).toBe("E_RBAC_FORBIDDEN");
      // A viewer's token cannot even carry what the viewer lacks.
      await expect(tokenFor("viewer", ["tasks.create"])).rejects.toMatchObject({
        code: "E_AUTH_TOKEN_SCOPE_EXCEEDED",
      });
    });

    it("writes without a CSRF token, since no browser sends the header by itself", async () => {
      const { token } = await tokenFor("member", ["tasks.view", "tasks.create"]);
      const write = await t.client().send("POST", "/api/v1/probe", "{}", {
        ...bearer(token),
        accept: "application/json",
        "content-type": "application/json",
      });
      expect(write.status).toBe(201);
      expect(write.json).toEqual({ created: true });
    });

    it("answers each bad token with its own code and status, never a 500", async () => {
      const { token, record } = await tokenFor("member", ["tasks.view"]);
      const expiring = await tokenFor("member", ["tasks.view"], { expiresAt: Date.now() + 60_000 });
      await t.platform.databases
        .connection<AuthDatabase>("rbac")
        .updateTable("personal_access_tokens")
        .set({ expires_at: Date.now() - 1 })
        .where("id", "=", expiring.record.id)
        .execute();
      const linksOnly = await tokenFor("member", ["tasks.view"], { apps: ["links"] });
      const revoked = await tokenFor("member", ["tasks.view"]);
      await t.client().getJson("/api/v1/me", { headers: bearer(revoked.token) });
      expect(await t.platform.accounts.tokens.revoke(revoked.record.id, record.userId)).toBe(true);
      const cases: [string, number, string][] = [
        [`ghp_${token.slice(9)}`, 401, "E_AUTH_TOKEN_MALFORMED"],
        [`${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`, 401, "E_AUTH_TOKEN_MALFORMED"],
        ["", 401, "E_AUTH_TOKEN_MALFORMED"],
        [newApiToken().token, 401, "E_AUTH_TOKEN_UNKNOWN"],
        [expiring.token, 401, "E_AUTH_TOKEN_EXPIRED"],
        [revoked.token, 401, "E_AUTH_TOKEN_REVOKED"],
        [linksOnly.token, 403, "E_AUTH_TOKEN_APP_REFUSED"],
      ];
      for (const [presented, status, code] of cases) {
        const response = await t.client().getJson("/api/v1/probe", { headers: bearer(presented) });
        expect([response.status, codeOf(response)], presented).toEqual([status, code]);
        if (status === 401) expect(response.headers["www-authenticate"]).toMatch(/^Bearer /);
      }
    });

    it("refuses a request carrying both a session cookie and a token", async () => {
      const { token } = await tokenFor("member", ["tasks.view"]);
      const signedIn = await t.signIn("viewer");
      const response = await signedIn.getJson("/api/v1/me", { headers: bearer(token) });
      expect(response.status).toBe(400);
      expect(codeOf(response)).toBe("E_AUTH_TOKEN_WITH_COOKIE");
    });

    it("ignores the header off /api/v1: pages and forms belong to the session", async () => {
      const { token } = await tokenFor("member", ["tasks.view"]);
      const page = await t.client().get("/probe-page", { headers: bearer(token) });
      expect(page.status).toBe(303);
      expect(page.location).toMatch(/^\/login/);
      const lookalike = await t.client().getJson("/api/v1x", { headers: bearer(token) });
      expect(lookalike.status).toBe(404);
    });

    it("stops a token as soon as it is revoked, though its lookup was cached", async () => {
      const { token, record } = await tokenFor("member", ["tasks.view"]);
      expect((await t.client().getJson("/api/v1/me", { headers: bearer(token) })).status).toBe(200);
      await t.platform.accounts.tokens.revokeAllFor(record.userId);
      const after = await t.client().getJson("/api/v1/me", { headers: bearer(token) });
      expect([after.status, codeOf(after)]).toEqual([401, "E_AUTH_TOKEN_REVOKED"]);
    });

    it("lets a signed-in user create a token on the account page, shows it once, lists and revokes it", async () => {
      const member = await t.signIn("member");
      const account = await member.get("/account");
      expect(account.body).toContain('id="tokens-h"');
      expect(account.body).toContain('name="permissions" value="tasks.view"');
      const created = await member.submit("/account", "/account/tokens", {
        name: "report export",
        permissions: "tasks.view",
        apps: "flow",
        expires: "2099-12-31",
      });
      expect(created.status).toBe(200);
      expect(created.headers["cache-control"]).toBe("no-store");
      const token = /marg_pat_[0-9A-Za-z]{38}/.exec(created.body)?.[0] ?? "";
      expect(token).not.toBe("");
      const listed = await member.get("/account");
      expect(listed.body).toContain("report export");
      expect(listed.body).not.toContain(token);
      expect((await t.client().getJson("/api/v1/probe", { headers: bearer(token) })).status).toBe(200);
      const id = /action="\/account\/tokens\/(\d+)\/revoke"/.exec(listed.body)?.[1];
      const revoked = await member.submit("/account", `/account/tokens/${id}/revoke`, {});
      expect(revoked.status).toBe(303);
      const after = await t.client().getJson("/api/v1/probe", { headers: bearer(token) });
      expect(codeOf(after)).toBe("E_AUTH_TOKEN_REVOKED");
    });

    it("refuses on the account page a permission the user lacks, with the reason", async () => {
      const viewer = await t.signIn("viewer");
      const refused = await viewer.submit("/account", "/account/tokens", {
        name: "too much",
        permissions_text: "tasks.delete",
      });
      expect(refused.status).toBe(303);
      expect((await viewer.get("/account")).body).toContain("lacks tasks.delete");
    });

    it("describes the bearer scheme in the OpenAPI document", async () => {
      const admin = await t.signIn("member");
      const doc = await admin.getJson("/api/docs/json");
      expect(doc.status, doc.body).toBe(200);
      expect(doc.json).toMatchObject({
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
        security: [{ session: [] }, { bearer: [] }],
      });
    });
  });
}
