import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountTestApps, startAccountTestApps } from "../../../../test/support/account-test-apps.js";

describe("security headers of an app server (over HTTP)", () => {
  let dev: AccountTestApps;
  let production: AccountTestApps;

  beforeAll(async () => {
    dev = await startAccountTestApps({ label: "headers-dev", apps: ["flow", "links"] });
    production = await startAccountTestApps({
      label: "headers-prod",
      apps: ["flow"],
      env: { APP_ENV: "production" },
    });
  });
  afterAll(async () => {
    await dev?.close();
    await production?.close();
  });

  it("sends a strict Content-Security-Policy on pages, error pages and JSON: no inline script or style", async () => {
    const browser = dev.browser();
    for (const path of ["/login", "/no-such-page", "/health"]) {
      const csp = String((await browser.get(path)).headers["content-security-policy"] ?? "");
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("frame-ancestors 'self'");
      expect(csp, path).not.toContain("unsafe-inline");
      expect(csp, path).not.toContain("unsafe-eval");
    }
  });

  it("lets forms post and sign-in redirect to the sibling apps of MARG_APPS, and nowhere else", async () => {
    const csp = String((await dev.browser().get("/login")).headers["content-security-policy"]);
    expect(csp).toMatch(/form-action 'self' http:\/\/links\.marg\.test(;|$)/);
  });

  it("names the answering process in X-Served-By outside production only", async () => {
    expect((await dev.browser().get("/login")).headers["x-served-by"]).toMatch(/:\d+$/);
    expect((await production.browser().get("/login")).headers["x-served-by"]).toBeUndefined();
  });

  it("keeps X-Served-By in production when the operator turns SERVED_BY_HEADER on", async () => {
    const on = await startAccountTestApps({
      label: "headers-prod-on",
      apps: ["flow"],
      env: { APP_ENV: "production", SERVED_BY_HEADER: "true" },
    });
    try {
      expect((await on.browser().get("/login")).headers["x-served-by"]).toMatch(/:\d+$/);
    } finally {
      await on.close();
    }
  });

  it("keeps the API description from guests", async () => {
    const response = await dev.browser().get("/api/docs/json", { headers: { accept: "application/json" } });
    expect(response.status).toBe(401);
  });
});
