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

  it("revokes the user's API tokens at once, even a lookup the flow server had cached", async () => {
    const flow = t.apps.flow;
    if (flow === undefined) throw new Error("flow was not served");
    const vera = t.users.viewer.id;
    const { token } = await flow.platform.accounts.tokens.create(vera, {
      name: "ci",
      permissions: ["tasks.view"],
    });
    const client = t.client("flow");
    const headers = { authorization: `Bearer ${token}` };
    expect((await client.getJson("/api/v1/me", { headers })).status).toBe(200);

    const grace = await t.signIn("grace@marg.localhost");
    expect((await grace.sendJson("POST", `/api/v1/users/${vera}/disable`)).status).toBe(200);
    const after = await client.getJson("/api/v1/me", { headers });
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ error: { code: "E_AUTH_TOKEN_REVOKED" } });
    expect((await grace.sendJson("POST", `/api/v1/users/${vera}/enable`)).status).toBe(200);
    // Enabling the account does not bring its tokens back: they were revoked, not paused.
    expect((await client.getJson("/api/v1/me", { headers })).status).toBe(401);
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
