import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../test/support/account-test-apps.js";
import { csrfTokenIn, type FormBrowser } from "../../../../test/support/form-browser.js";

const EMAIL = "olga@example.com";

describe("unsafe requests from pages that are not MARG's apps (over HTTP, flow and links)", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "origin-guard" });
    await t.createUser({ name: "Olga Origin", email: EMAIL });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A signed-in browser on flow and the CSRF token of its sign-out form. */
  async function signedIn(): Promise<{ browser: FormBrowser; csrf: string }> {
    const browser = t.browser();
    await browser.submit("/login", "/login", { email: EMAIL, password: TEST_PASSWORD });
    const account = await browser.get("/account");
    return { browser, csrf: csrfTokenIn(account.body, "/logout") ?? "" };
  }

  const REFUSED: ReadonlyArray<[why: string, headers: Record<string, string>]> = [
    ["an Origin of a sibling host that is no app", { origin: "http://evil.marg.test" }],
    ["an Origin of a foreign site", { origin: "https://evil.example" }],
    ["an Origin of an app on another port", { origin: "http://flow.marg.test:8080" }],
    ["an Origin of an app over another scheme", { origin: "https://flow.marg.test" }],
    ["an opaque Origin (null)", { origin: "null" }],
    ["no Origin and Sec-Fetch-Site same-site", { "sec-fetch-site": "same-site" }],
    ["no Origin and Sec-Fetch-Site cross-site", { "sec-fetch-site": "cross-site" }],
    ["only a Referer from a sibling host", { referer: "http://evil.marg.test/page" }],
  ];

  it.each(REFUSED)(
    "refuses a POST with %s: 403 E_HTTP_ORIGIN_REFUSED before the CSRF check",
    async (_why, headers) => {
      const { browser, csrf } = await signedIn();
      const response = await browser.post(
        "/logout",
        { _csrf: csrf },
        { headers: { ...headers, accept: "application/json" } },
      );
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_HTTP_ORIGIN_REFUSED" } });
      expect((await browser.get("/account")).status).toBe(200);
    },
  );

  it("accepts a POST from this app's own origin and from a sibling app of MARG_APPS", async () => {
    for (const origin of ["http://flow.marg.test", "http://links.marg.test"]) {
      const { browser, csrf } = await signedIn();
      const response = await browser.post("/logout", { _csrf: csrf }, { headers: { origin } });
      expect(response.status, origin).toBe(303);
      expect((await browser.get("/account")).status, origin).toBe(303);
    }
  });

  it("accepts Sec-Fetch-Site same-origin, a Referer of an app, and clients that send none of them", async () => {
    const cases: Record<string, string>[] = [
      { "sec-fetch-site": "same-origin" },
      { referer: "http://links.marg.test/links" },
      {},
    ];
    for (const headers of cases) {
      const { browser, csrf } = await signedIn();
      expect((await browser.post("/logout", { _csrf: csrf }, { headers })).status).toBe(303);
    }
  });

  it("lets safe methods through from anywhere", async () => {
    const response = await t.browser().get("/login", { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(200);
  });

  describe("two session cookies (one tossed by a sibling host)", () => {
    async function withTossedCookie(): Promise<{ victim: FormBrowser; header: string; csrf: string }> {
      const { browser: victim, csrf } = await signedIn();
      const attacker = t.browser();
      await attacker.get("/login");
      const real = victim.jar.get("marg_session") ?? "";
      const planted = attacker.jar.get("marg_session") ?? "";
      return { victim, header: `marg_session=${planted}; marg_session=${real}`, csrf };
    }

    it("refuses a POST with 400 E_SESSION_COOKIE_CONFLICT and changes nothing", async () => {
      const { victim, header, csrf } = await withTossedCookie();
      const response = await victim.post(
        "/logout",
        { _csrf: csrf },
        { headers: { cookie: header, accept: "application/json" } },
      );
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_SESSION_COOKIE_CONFLICT" } });
      expect(response.headers["set-cookie"]).toBeUndefined();
      expect((await victim.get("/account")).status).toBe(200);
    });

    it("serves GETs signed out, and the sign-in page says to clear the domain's cookies", async () => {
      const { victim, header } = await withTossedCookie();
      const account = await victim.get("/account", { headers: { cookie: header } });
      expect(account.status).toBe(303);
      expect(account.location).toBe("/login?next=%2Faccount");
      const login = await victim.get("/login", { headers: { cookie: header } });
      expect(login.status).toBe(400);
      expect(login.body).toContain("two MARG session cookies");
      expect(login.body).toContain("Clear this domain");
      expect(login.headers["set-cookie"]).toBeUndefined();
    });
  });
});
