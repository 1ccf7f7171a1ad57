import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";

describe("admin JSON API /api/v1/users", () => {
  let t: AdminTestApp;
  let api: TestClient;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-users-api");
    api = await t.signIn("grace@marg.localhost");
  });
  afterAll(async () => t?.close());

  it("lists users with pagination and never a password hash", async () => {
    const response = await api.getJson("/api/v1/users?perPage=2&page=2");
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ total: 4, page: 2, perPage: 2, pages: 2 });
    const { items } = response.json as { items: Record<string, unknown>[] };
    expect(items.map((user) => user.email)).toEqual(["grace@marg.localhost", "ada@marg.localhost"]);
    expect(Object.keys(items[0] ?? {}).sort()).toEqual(
      ["createdAt", "disabled", "disabledAt", "email", "id", "lastLoginAt", "name"].sort(),
    );
  });

  it("searches and filters like the page", async () => {
    const response = await api.getJson("/api/v1/users?q=vera&status=active");
    expect((response.json as { items: { name: string }[] }).items.map((user) => user.name)).toEqual([
      "Vera Viewer",
    ]);
  });

  it("rejects a malformed query with E_VALIDATION and the field", async () => {
    const response = await api.getJson("/api/v1/users?perPage=1000");
    expect(response.status).toBe(422);
    expect(response.json).toMatchObject({
      error: { code: "E_VALIDATION", fields: { perPage: expect.any(String) } },
    });
  });

  it("gets one user with roles, direct permissions and sessions; 404 for an unknown id", async () => {
    const response = await api.getJson(`/api/v1/users/${t.users.admin.id}`);
    expect(response.json).toMatchObject({
      user: { email: "grace@marg.localhost" },
      roles: ["admin"],
      directPermissions: [],
      sessions: 1,
    });
    const missing = await api.getJson("/api/v1/users/424242");
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: { code: "E_AUTH_USER_NOT_FOUND" } });
  });

  it("creates a user with the same rules as the form, answering field problems as 422", async () => {
    const invalid = await api.sendJson("POST", "/api/v1/users", {
      name: " ",
      email: "nope",
      password: "short",
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({
      error: {
        code: "E_VALIDATION",
        fields: {
          name: "Enter a name.",
          email: expect.stringContaining("valid email"),
          password: expect.stringContaining("12"),
        },
      },
    });
    const missing = await api.sendJson("POST", "/api/v1/users", { email: "x@y.test" });
    expect(missing.status).toBe(422);
    expect(missing.json).toMatchObject({ error: { fields: { name: "is required" } } });

    const created = await api.sendJson("POST", "/api/v1/users", {
      name: "Api Made",
      email: "api@x.test",
      sendResetLink: true,
      role: "member",
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      user: { name: "Api Made", disabled: false },
      resetLinkMailed: true,
    });
    const taken = await api.sendJson("POST", "/api/v1/users", {
      name: "Again",
      email: "API@x.test",
      password: "a long enough passphrase",
    });
    expect(taken.status).toBe(409);
    expect(taken.json).toMatchObject({
      error: { code: "E_AUTH_EMAIL_TAKEN", fields: { email: expect.any(String) } },
    });
  });

  it("refuses writes without the CSRF header", async () => {
    const response = await api.send("POST", `/api/v1/users/${t.users.viewer.id}/disable`, undefined, {
      accept: "application/json",
    });
    expect(response.status).toBe(403);
    expect((await t.admin.platform.users.findById(t.users.viewer.id))?.disabledAt).toBeNull();
  });

  it("disables and enables, audited, and refuses the caller's own account", async () => {
    const disabled = await api.sendJson("POST", `/api/v1/users/${t.users.viewer.id}/disable`);
    expect(disabled.json).toMatchObject({ user: { disabled: true }, sessionsEnded: 0 });
    const enabled = await api.sendJson("POST", `/api/v1/users/${t.users.viewer.id}/enable`);
    expect(enabled.json).toMatchObject({ user: { disabled: false } });
    expect(await auditRows(t.db, "user.disable")).toHaveLength(1);
    expect(await auditRows(t.db, "user.enable")).toHaveLength(1);
    const self = await api.sendJson("POST", `/api/v1/users/${t.users.admin.id}/disable`);
    expect(self.status).toBe(409);
    expect(self.json).toMatchObject({ error: { code: "E_ADMIN_SELF_LOCKOUT" } });
  });

  it("reads, assigns and removes roles idempotently", async () => {
    const id = t.users.viewer.id;
    expect((await api.getJson(`/api/v1/users/${id}/roles`)).json).toEqual({ roles: ["viewer"] });
    expect((await api.sendJson("PUT", `/api/v1/users/${id}/roles/member`)).json).toEqual({
      changed: true,
      roles: ["member", "viewer"],
    });
    expect((await api.sendJson("PUT", `/api/v1/users/${id}/roles/member`)).json).toMatchObject({
      changed: false,
    });
    expect((await api.sendJson("DELETE", `/api/v1/users/${id}/roles/member`)).json).toEqual({
      changed: true,
      roles: ["viewer"],
    });
    const unknown = await api.sendJson("PUT", `/api/v1/users/${id}/roles/wizard`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: "E_RBAC_UNKNOWN_ROLE" } });
    const invalid = await api.sendJson("PUT", `/api/v1/users/${id}/roles/Not%20A%20Role`);
    expect(invalid.status).toBe(422);
    expect(await auditRows(t.db, "user.role-assign")).toHaveLength(1);
  });

  it("answers a member 403 on every endpoint", async () => {
    const member = await t.signIn("linus@marg.localhost");
    expect((await member.getJson("/api/v1/users")).status).toBe(403);
    expect((await member.getJson(`/api/v1/users/${t.users.viewer.id}`)).status).toBe(403);
    expect((await member.sendJson("POST", `/api/v1/users/${t.users.viewer.id}/disable`)).status).toBe(403);
    expect((await member.sendJson("PUT", `/api/v1/users/${t.users.viewer.id}/roles/admin`)).status).toBe(403);
  });

  it("describes the endpoints in the OpenAPI document", async () => {
    const response = await api.getJson("/api/docs/json");
    const paths = Object.keys((response.json as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/users/{id}/disable",
        "/api/v1/users/{id}/enable",
        "/api/v1/users/{id}/roles",
        "/api/v1/users/{id}/roles/{role}",
        "/api/v1/audit",
        "/api/v1/queues",
        "/api/v1/health",
      ]),
    );
  });

  it("shows the API description only to administrators: guests sign in, members get 403", async () => {
    const guest = t.client();
    const json = await guest.get("/api/docs/json", { headers: { accept: "application/json" } });
    expect(json.status).toBe(401);
    expect(JSON.parse(json.body)).toMatchObject({ error: { code: "E_AUTH_REQUIRED" } });
    const page = await guest.get("/api/docs");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/login?next=%2Fapi%2Fdocs");
    const member = await t.signIn("linus@marg.localhost");
    expect((await member.getJson("/api/docs/json")).status).toBe(403);
    expect((await api.getJson("/api/docs/json")).status).toBe(200);
  });
});
