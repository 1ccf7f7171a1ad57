import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";

describe("disabling a user ends their sessions on every app", () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-disable");
  });
  afterAll(async () => t?.close());

  it("signs the user out of another app instance sharing the session store, at their next request", async () => {
    const linusOnFlow = await t.signIn("linus@marg.localhost", "flow");
    const linusOnAdmin = linusOnFlow.at("admin");
    expect((await linusOnFlow.get("/account")).status).toBe(200);

    const grace = await t.signIn("grace@marg.localhost");
    const response = await grace.sendJson("POST", `/api/v1/users/${t.users.member.id}/disable`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ user: { disabled: true }, sessionsEnded: 1 });

    const next = await linusOnFlow.get("/account");
    expect(next.status).toBe(303);
    expect(next.location).toBe("/login?next=%2Faccount");
    expect((await linusOnAdmin.get("/")).location).toMatch(/^\/login/);
  });

  it("keeps the disabled user from signing in again, until enabled", async () => {
    const refused = await t.client("flow").submit("/login", "/login", {
      email: "linus@marg.localhost",
      password: TEST_PASSWORD,
    });
    expect(refused.status).not.toBe(303);

    const grace = await t.signIn("grace@marg.localhost");
    expect((await grace.sendJson("POST", `/api/v1/users/${t.users.member.id}/enable`)).status).toBe(200);
    const again = await t.client("flow").submit("/login", "/login", {
      email: "linus@marg.localhost",
      password: TEST_PASSWORD,
    });
    expect(again.status).toBe(303);
  });

  it("leaves other users signed in", async () => {
    const vera = await t.signIn("vera@marg.localhost", "flow");
    const grace = await t.signIn("grace@marg.localhost");
    await grace.sendJson("POST", `/api/v1/users/${t.users.member.id}/disable`);
    expect((await vera.get("/account")).status).toBe(200);
  });
});
