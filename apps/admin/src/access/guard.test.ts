import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";

describe("admin access: every page needs an admin permission", () => {
  let t: AdminTestApp;
  let pages: string[];

  beforeAll(async () => {
    t = await startAdminTestApp("admin-access");
    pages = [
      "/",
      "/users",
      "/users/new",
      `/users/${t.users.member.id}`,
      "/roles",
      "/roles/member",
      "/permissions",
      "/permissions/users.view",
      "/queues",
      "/health-overview",
      "/feedback",
      "/audit",
    ];
  });
  afterAll(async () => t?.close());

  it("sends guests to sign in, and back to the page afterwards", async () => {
    const guest = t.client();
    for (const page of pages) {
      const response = await guest.get(page);
      expect(response.status, page).toBe(303);
      expect(response.location, page).toBe(`/login?next=${encodeURIComponent(page)}`);
    }
  });

  it("answers guests of the API with 401 JSON", async () => {
    const response = await t.client().get("/api/v1/users", { headers: { accept: "application/json" } });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error.code).toBe("E_AUTH_REQUIRED");
  });

  it("shows members and viewers the 403 page in the shared look, on every page", async () => {
    for (const email of ["linus@marg.localhost", "vera@marg.localhost"]) {
      const browser = await t.signIn(email);
      for (const page of pages) {
        const response = await browser.get(page);
        expect(response.status, `${email} ${page}`).toBe(403);
        expect(response.body).toContain('class="error-page"');
        expect(response.body).toContain("Admin · MARG</title>");
      }
    }
  });

  it("answers members on the API with 403 E_RBAC_FORBIDDEN", async () => {
    const member = await t.signIn("linus@marg.localhost");
    const response = await member.get("/api/v1/users", { headers: { accept: "application/json" } });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe("E_RBAC_FORBIDDEN");
  });

  it("lets admins and super-admins open every page", async () => {
    for (const email of ["grace@marg.localhost", "ada@marg.localhost"]) {
      const browser = await t.signIn(email);
      for (const page of pages) {
        const response = await browser.get(page);
        expect(response.status, `${email} ${page}`).toBe(200);
        expect(response.body).toContain("Admin · MARG</title>");
      }
    }
  });

  it("opens the app to someone with one admin permission, and only that area", async () => {
    const watcher = await t.admin.platform.users.create({
      name: "Hal Watcher",
      email: "hal@marg.localhost",
      password: "correct horse battery staple",
    });
    await t.admin.platform.rbac.grantToUser(watcher.id, "health.view");
    const browser = await t.signIn("hal@marg.localhost");
    expect((await browser.get("/")).status).toBe(200);
    expect((await browser.get("/health-overview")).status).toBe(200);
    const users = await browser.get("/users");
    expect(users.status).toBe(403);
    expect(users.body).toContain("users.view");
    const home = await browser.get("/");
    expect(home.body).toContain('href="/health-overview"');
    expect(home.body).not.toContain("Latest changes");
  });

  it("leaves the platform's own pages open: sign-in and /health", async () => {
    expect((await t.client().get("/login")).status).toBe(200);
    expect((await t.client().get("/health")).status).toBe(200);
  });
});
