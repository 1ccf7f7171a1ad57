import { createScratchRedisPrefix } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import { csrfTokenIn } from "../../../../../test/support/form-browser.js";

// Production's shape: sessions and the cache on Redis, flow and links each with its own
// platform (its own Redis connections, as two processes have). A token revoked or a user
// disabled through one app is refused by the other on the very next request, though the
// other had just cached the token's lookup.
const redis = createScratchRedisPrefix("token-cross-app");

describe("a token revoked on flow is refused at once on links (cache on Redis)", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({
      label: "token-cross-app",
      env: { SESSION_DRIVER: "redis", CACHE_STORE: "redis", REDIS_PREFIX: redis.prefix },
    });
    await t.apps.flow?.platform.rbac.createPermission("tasks.view");
  });
  afterAll(async () => {
    await t?.close();
    await redis.clear();
  });

  /** Bearer GET /api/v1/me on links. */
  const meOnLinks = (token: string) =>
    t.browser("links").get("/api/v1/me", {
      headers: { accept: "application/json", authorization: `Bearer ${token}` },
    });

  async function tokenOf(email: string): Promise<{ token: string; userId: number }> {
    const user = await t.createUser({ name: email, email });
    await t.apps.flow?.platform.rbac.grantToUser(user.id, "tasks.view");
    const { token } = (await t.apps.flow?.platform.accounts.tokens.create(user.id, {
      name: "ci",
      permissions: ["tasks.view"],
      apps: null,
      expiresAt: null,
    })) ?? { token: "" };
    expect((await meOnLinks(token)).status).toBe(200);
    // Cached now in Redis by links: the next check must still see a revoke made elsewhere.
    expect((await meOnLinks(token)).status).toBe(200);
    return { token, userId: user.id };
  }

  it("revoked by its holder on flow's account page", async () => {
    const { token, userId } = await tokenOf("holder@example.com");
    const browser = t.browser("flow");
    await browser.submit("/login", "/login", { email: "holder@example.com", password: TEST_PASSWORD });
    const [record] = (await t.apps.flow?.platform.accounts.tokens.list(userId)) ?? [];
    const action = `/account/tokens/${record?.id}/revoke`;
    const csrf = csrfTokenIn((await browser.get("/account")).body, action) ?? "";
    expect((await browser.post(action, { _csrf: csrf })).status).toBe(303);
    const refused = await meOnLinks(token);
    expect(refused.status).toBe(401);
    expect(refused.body).toContain("E_AUTH_TOKEN_REVOKED");
  });

  it("its holder disabled through flow's platform (as admin's Disable does)", async () => {
    const { token, userId } = await tokenOf("leaver@example.com");
    const flow = t.apps.flow?.platform;
    await flow?.users.disable(userId);
    await flow?.accounts.tokens.revokeAllFor(userId);
    const refused = await meOnLinks(token);
    expect(refused.status).toBeGreaterThanOrEqual(401);
    expect(refused.status).toBeLessThanOrEqual(403);
  });
});
