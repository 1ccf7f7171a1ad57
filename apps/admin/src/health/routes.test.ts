import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.js";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";

describe("admin health overview", () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-health", { listen: true });
  });
  afterAll(async () => t?.close());

  it("shows every app of MARG_APPS with its checks, admin itself included", async () => {
    const grace = await t.signIn("grace@marg.localhost");
    const page = await grace.get("/health-overview");
    expect(page.status).toBe(200);
    expect(page.body).toContain("2 of 2 apps healthy");
    expect(page.body).toContain('id="app-flow"');
    expect(page.body).toContain('id="app-admin"');
    expect(page.body).toContain("<td>database</td>");
  });

  it("shows an app that does not answer as unreachable, and still renders", async () => {
    t.setAppUrl("flow", `http://127.0.0.1:${await freePort()}`);
    const grace = await t.signIn("grace@marg.localhost");
    const page = await grace.get("/health-overview");
    expect(page.status).toBe(200);
    expect(page.body).toContain("1 of 2 apps healthy");
    expect(page.body).toContain('badge-danger">unreachable');
    const api = await grace.getJson("/api/v1/health");
    expect(api.json).toMatchObject({
      apps: [
        { id: "flow", status: "unreachable", httpStatus: null },
        { id: "admin", status: "healthy", httpStatus: 200 },
      ],
    });
  });
});
