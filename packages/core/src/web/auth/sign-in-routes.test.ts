import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import { csrfTokenIn, type FormBrowser } from "../../../../../test/support/form-browser.js";

const EMAIL = "ann@example.com";
const SESSION = "marg_session";

describe("sign-in routes over HTTP (two apps sharing one installation)", () => {
  let t: AccountTestApps;
  const flow = () => t.apps.flow?.site ?? { host: "", port: 0 };
  const links = () => t.apps.links?.site ?? { host: "", port: 0 };

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "sign-in-routes" });
    await t.createUser({ name: "Ann Example", email: EMAIL });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Opens /login, then posts the form with its own token. */
  async function signIn(browser: FormBrowser, next?: string, email = EMAIL) {
    return browser.submit("/login", "/login", {
      email,
      password: TEST_PASSWORD,
      ...(next === undefined ? {} : { next }),
    });
  }

  it("signs in with the form and lands on the home page, which leads to the account", async () => {
    const browser = t.browser();
    const response = await signIn(browser);
    expect(response.status).toBe(303);
    expect(response.location).toBe("/");
    const account = await browser.get("/account");
    expect(account.status).toBe(200);
    expect(account.body).toContain("Ann Example");
  });

  it("refuses a wrong password with the form again: status 401, message, email kept, password not echoed", async () => {
    const browser = t.browser();
    const response = await browser.submit("/login", "/login", { email: EMAIL, password: "not-the-password" });
    expect(response.status).toBe(401);
    expect(response.body).toContain("The email address or password is incorrect.");
    expect(response.body).toContain(`value="${EMAIL}"`);
    expect(response.body).not.toContain("not-the-password");
    expect((await browser.get("/account")).status).toBe(303);
  });

  describe("login CSRF and session fixation", () => {
    it("refuses a sign-in without a CSRF token with 403 and signs nobody in", async () => {
      const browser = t.browser();
      await browser.get("/login");
      const response = await browser.post("/login", { email: EMAIL, password: TEST_PASSWORD });
      expect(response.status).toBe(403);
      expect((await browser.get("/account")).status).toBe(303);
    });

    it("refuses a sign-in carrying another session's token (an attacker's form) with 403", async () => {
      const attacker = t.browser();
      const token = csrfTokenIn((await attacker.get("/login")).body, "/login") ?? "";
      const victim = t.browser();
      await victim.get("/login");
      const response = await victim.post("/login", { _csrf: token, email: EMAIL, password: TEST_PASSWORD });
      expect(response.status).toBe(403);
      expect((await victim.get("/account")).status).toBe(303);
    });

    it("gives the session a new id at sign-in: the pre-login cookie is not signed in afterwards", async () => {
      const browser = t.browser();
      await browser.get("/login");
      const before = browser.jar.get(SESSION);
      expect(before).toBeDefined();
      const planted = browser.clone(); // what an attacker who fixed the cookie would still hold
      expect((await signIn(browser)).status).toBe(303);
      const after = browser.jar.get(SESSION);
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
      expect((await browser.get("/account")).status).toBe(200);
      const stale = await planted.get("/account");
      expect(stale.status).toBe(303);
      expect(stale.location).toBe("/login?next=%2Faccount");
      expect((await planted.get("/api/v1/me")).status).toBe(401);
    });

    it("retires the login form's token with the pre-login session", async () => {
      const browser = t.browser();
      const token = csrfTokenIn((await browser.get("/login")).body, "/login") ?? "";
      await browser.post("/login", { _csrf: token, email: EMAIL, password: TEST_PASSWORD });
      const replay = await browser.post("/logout", { _csrf: token });
      expect(replay.status).toBe(403);
      expect((await browser.get("/account")).status).toBe(200);
    });
  });

  describe("where sign-in leads (next)", () => {
    for (const next of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
      "http://evil.marg.test/",
      "http://admin.marg.test/",
    ]) {
      it(`never leaves the ecosystem for next=${next}: it goes to /`, async () => {
        const browser = t.browser();
        const form = await browser.get(`/login?next=${encodeURIComponent(next)}`);
        expect(form.body).not.toContain(next.replace(/^[a-z]+:\/\//, ""));
        const response = await signIn(browser, next);
        expect(response.status).toBe(303);
        expect(response.location).toBe("/");
        // Signed in, the sign-in page forwards at once: through the same filter.
        const again = await browser.get(`/login?next=${encodeURIComponent(next)}`);
        expect(again.status).toBe(303);
        expect(again.location).toBe("/");
      });
    }

    it("honours next=/account", async () => {
      const response = await signIn(t.browser(), "/account");
      expect(response.location).toBe("/account");
    });

    it("allows next on a sibling app of the domain, such as links", async () => {
      const target = "http://links.marg.test/account?tab=1";
      expect((await signIn(t.browser(), target)).location).toBe(target);
    });

    it("carries a protected page's address through the sign-in form", async () => {
      const browser = t.browser();
      const guarded = await browser.get("/account");
      expect(guarded.location).toBe("/login?next=%2Faccount");
      const form = await browser.get(guarded.location ?? "");
      expect(form.body).toContain('name="next" value="/account"');
    });
  });

  describe("signing out", () => {
    it("ends the session on every app: links' sign-out signs flow out, even for a copy of the cookie", async () => {
      const browser = t.browser();
      await signIn(browser);
      const onLinks = browser.at(links());
      expect((await onLinks.get("/account")).status).toBe(200);
      const copy = browser.clone(flow());
      const out = await onLinks.submit("/account", "/logout", {});
      expect(out.status).toBe(303);
      expect(out.location).toBe("/login");
      expect(browser.jar.has(SESSION)).toBe(false);
      expect((await browser.get("/account")).status).toBe(303);
      expect((await copy.get("/account")).status).toBe(303);
    });

    it("signs another browser out with “sign out everywhere”", async () => {
      const { email } = await t.createUser({ name: "Two Devices", email: "two@example.com" });
      const laptop = t.browser();
      const phone = t.browser("links");
      await signIn(laptop, undefined, email);
      await signIn(phone, undefined, email);
      expect((await phone.get("/account")).body).toContain("signed in on 2 devices");
      const out = await laptop.submit("/account", "/logout-everywhere", {});
      expect(out.location).toBe("/login");
      expect((await phone.get("/account")).status).toBe(303);
      expect((await laptop.get("/account")).status).toBe(303);
    });
  });

  describe("JSON clients", () => {
    it("get 401 JSON from /api/v1/me when signed out", async () => {
      const response = await t.browser().get("/api/v1/me", { headers: { accept: "application/json" } });
      expect(response.status).toBe(401);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_AUTH_REQUIRED" } });
    });

    it("get the user and a working CSRF token from /api/v1/me when signed in", async () => {
      const browser = t.browser();
      await signIn(browser);
      const me = await browser.get("/api/v1/me", { headers: { accept: "application/json" } });
      expect(me.status).toBe(200);
      const body = JSON.parse(me.body) as { user: { email: string }; csrfToken: string };
      expect(body.user.email).toBe(EMAIL);
      const out = await browser.post("/logout", {}, { headers: { "x-csrf-token": body.csrfToken } });
      expect(out.status).toBe(303);
      expect((await browser.get("/api/v1/me")).status).toBe(401);
    });
  });

  describe("a cookie that was tampered with", () => {
    const forged = (valid: string) => [
      `${valid.slice(0, -1)}${valid.endsWith("A") ? "B" : "A"}`, // one character of the MAC changed
      `${valid.split(".")[0]}.`, // MAC dropped
      "not-a-session",
      "%%%",
      "x".repeat(4096),
    ];

    it("counts as signed out (303 to /login, 401 JSON), never a 500", async () => {
      const browser = t.browser();
      await signIn(browser);
      const valid = browser.jar.get(SESSION) ?? "";
      for (const value of forged(valid)) {
        const tampered = t.browser();
        tampered.jar.set(SESSION, value);
        const page = await tampered.get("/account");
        expect(page.status, value.slice(0, 40)).toBe(303);
        expect(page.location).toBe("/login?next=%2Faccount");
        const api = t.browser();
        api.jar.set(SESSION, value);
        expect((await api.get("/api/v1/me")).status, value.slice(0, 40)).toBe(401);
      }
      expect((await browser.get("/account")).status).toBe(200);
    });

    it("shows the sign-in form to a tampered cookie and lets it sign in afresh", async () => {
      const browser = t.browser();
      browser.jar.set(SESSION, "forged.value");
      const form = await browser.get("/login");
      expect(form.status).toBe(200);
      expect((await signIn(browser)).status).toBe(303);
      expect((await browser.get("/account")).status).toBe(200);
    });
  });
});
