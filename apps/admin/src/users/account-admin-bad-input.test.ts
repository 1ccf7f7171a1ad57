import { TEST_PASSWORD } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, FormBrowser } from "../../../../test/support/form-browser.js";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";

// Admin's routes of issue 17 and the sign-in clients pages, sent junk by a signed-in
// admin over real HTTP: every answer is below 500 and shows no stack.

const JUNK: readonly (readonly [string, string])[] = [
  ["numbers", '{"clientId":7,"name":8,"redirectUris":9,"appScope":1,"firstParty":2}'],
  ["arrays", '{"clientId":["a"],"name":["b"],"redirectUris":[["x"]],"postLogoutRedirectUris":{"a":1}}'],
  ["objects", '{"clientId":{"$ne":1},"name":{},"redirectUris":{},"backchannelLogoutUri":[]}'],
  ["null", "null"],
  ["a bare array", "[1]"],
  [
    "a huge name",
    JSON.stringify({ clientId: "big", name: "x".repeat(200_000), redirectUris: "https://a.example/cb" }),
  ],
  ["a prototype key", '{"__proto__":{"x":1},"constructor":{"prototype":{"y":2}}}'],
];

const ROUTES = [
  "/oidc-clients",
  "/oidc-clients/nope/rotate-secret",
  "/oidc-clients/%00%ff/rotate-secret",
  `/oidc-clients/${"a".repeat(5000)}/delete`,
  "/users/abc/reset-two-factor",
  "/users/-1/reset-two-factor",
  "/users/99999999999999999999999/reset-two-factor",
  "/users/1e3/reset-two-factor",
  "/users/999999/reset-two-factor",
  "/users/999999/sessions/zzz/end",
  "/users/abc/sessions/zzz/end",
];

describe("admin's account and sign-in client routes answer junk with a 4xx, never a 500", () => {
  let t: AdminTestApp;
  let grace: FormBrowser;
  let csrf: string;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-bad-input", { listen: true, queue: false });
    grace = new FormBrowser({ host: "admin.marg.test", port: Number(new URL(t.admin.url ?? "").port) });
    const signedIn = await grace.submit("/login", "/login", {
      email: "grace@marg.localhost",
      password: TEST_PASSWORD,
    });
    expect(signedIn.status).toBe(303);
    csrf = csrfTokenIn((await grace.get("/oidc-clients")).body, "/oidc-clients") ?? "";
    expect(csrf).not.toBe("");
  }, 60_000);
  afterAll(async () => t?.close());

  for (const route of ROUTES) {
    for (const [what, body] of JUNK) {
      it(`POST ${route.slice(0, 60)} with ${what}`, async () => {
        const response = await grace.json("POST", route, body, { "x-csrf-token": csrf });
        expect(response.status, response.body.slice(0, 400)).toBeLessThan(500);
        expect(response.body).not.toMatch(/at .*\.ts:\d+/);
      });
    }
    it(`POST ${route.slice(0, 60)} as a form with junk fields`, async () => {
      const response = await grace.post(route, {
        _csrf: csrf,
        clientId: "\u0000",
        redirectUris: "javascript:alert(1)",
      });
      expect(response.status, response.body.slice(0, 400)).toBeLessThan(500);
    });
    it(`POST ${route.slice(0, 60)} without a CSRF token is refused`, async () => {
      // 403 from the CSRF guard, or 400/414 for a URL that names nothing before it is asked.
      const status = (await grace.post(route, {})).status;
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    });
  }
});
