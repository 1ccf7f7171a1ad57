import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import { csrfTokenIn, type FormBrowser } from "../../../../../test/support/form-browser.js";

/** Bodies a careless or hostile client sends instead of the fields a route reads. */
const JUNK: readonly (readonly [string, string])[] = [
  ["a number", '{"code":123456,"name":7,"credential":5,"permissions":3}'],
  ["arrays", '{"code":["1","2"],"name":["a"],"credential":[],"permissions":[[1]],"apps":{"x":1}}'],
  ["objects", '{"code":{"a":1},"name":{"$ne":1},"credential":{"id":{"x":1},"response":7}}'],
  ["null", "null"],
  ["a bare array", "[1,2,3]"],
  ["a bare string", '"hello"'],
  ["broken JSON", '{"code":'],
  ["a 2 MB body", JSON.stringify({ code: "1".repeat(2_000_000), credential: { id: "x".repeat(10) } })],
  ["a prototype key", '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'],
];

const ROUTES = [
  "/login/two-factor",
  "/login/two-factor/passkey/options",
  "/login/two-factor/passkey",
  "/login/passkey/options",
  "/login/passkey",
  "/account/two-factor/restart",
  "/account/two-factor/confirm",
  "/account/two-factor/recovery-codes",
  "/account/two-factor/disable",
  "/account/passkeys/options",
  "/account/passkeys",
  "/account/passkeys/1/remove",
  "/account/passkeys/zzz/remove",
  "/account/tokens",
  "/account/tokens/abc/revoke",
  "/account/tokens/99999999999999999999/revoke",
  "/account/sessions/zzz/end",
  "/account/sessions/../../x/end",
  "/account/profile",
  "/account/password",
];

describe("the account routes of issue 17 answer junk with a clear 4xx, never a 500", () => {
  let t: AccountTestApps;
  let browser: FormBrowser;
  let csrf: string;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "account-bad-input" });
    await t.createUser({ name: "Junk Sender", email: "junk@example.com" });
    browser = t.browser();
    expect(
      (await browser.submit("/login", "/login", { email: "junk@example.com", password: TEST_PASSWORD }))
        .status,
    ).toBe(303);
    csrf = csrfTokenIn((await browser.get("/account")).body, "/account/profile") ?? "";
    expect(csrf).not.toBe("");
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const route of ROUTES) {
    for (const [what, body] of JUNK) {
      it(`POST ${route} with ${what}`, async () => {
        const response = await browser.json("POST", route, body, { "x-csrf-token": csrf });
        // A route that ignores what it does not read may answer 2xx or 3xx; junk never makes a 500.
        expect(response.status, response.body).toBeLessThan(500);
        expect(response.body).not.toMatch(/at .*\.ts:\d+/);
      });
    }
    it(`POST ${route} without a CSRF token is refused`, async () => {
      const response = await browser.json("POST", route, "{}", {});
      expect(response.status, response.body).toBe(403);
    });
  }
});
