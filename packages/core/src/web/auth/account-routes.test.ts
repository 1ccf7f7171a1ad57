import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import type { FormBrowser } from "../../../../../test/support/form-browser.js";

const NEW_PASSWORD = "an entirely new passphrase";
const SCRIPT_NAME = "<script>alert(1)</script>";

describe("account pages over HTTP", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "account-routes" });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A new user signed in on a fresh browser. */
  async function signedIn(email: string, name = "Account Owner", app?: string): Promise<FormBrowser> {
    if ((await t.apps.flow?.platform.users.findByEmail(email)) === null) await t.createUser({ name, email });
    const browser = t.browser(app);
    const response = await browser.submit("/login", "/login", { email, password: TEST_PASSWORD });
    expect(response.status).toBe(303);
    return browser;
  }

  it("shows the signed-in user's name, email and devices", async () => {
    const browser = await signedIn("owner@example.com", "Grace Owner");
    const page = await browser.get("/account");
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="Grace Owner"');
    expect(page.body).toContain("Email: owner@example.com");
    expect(page.body).toContain("You are signed in on 1 device.");
  });

  it("saves a new name, shown on every app at once", async () => {
    const browser = await signedIn("rename@example.com", "Old Name");
    const saved = await browser.submit("/account", "/account/profile", { name: "New Name" });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/account");
    const page = await browser.get("/account");
    expect(page.body).toContain("Profile saved.");
    expect(page.body).toContain('<span class="name">New Name</span>');
    const onLinks = await browser.at(t.apps.links?.site ?? browser.site).get("/account");
    expect(onLinks.body).toContain('<span class="name">New Name</span>');
  });

  it("refuses an empty name with 422 and the message next to the field", async () => {
    const browser = await signedIn("empty-name@example.com", "Kept Name");
    const response = await browser.submit("/account", "/account/profile", { name: "   " });
    expect(response.status).toBe(422);
    expect(response.body).toMatch(/<span class="error" id="f-name-error">[^<]+<\/span>/);
    expect((await t.apps.flow?.platform.users.findByEmail("empty-name@example.com"))?.name).toBe("Kept Name");
  });

  it(`escapes a user named ${SCRIPT_NAME} everywhere on the page`, async () => {
    const browser = await signedIn("xss@example.com", SCRIPT_NAME);
    const page = await browser.get("/account");
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(SCRIPT_NAME);
    expect(page.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  describe("changing the password", () => {
    it("signs out the user's other sessions and keeps this one signed in", async () => {
      const here = await signedIn("changer@example.com");
      const phone = await signedIn("changer@example.com", undefined, "links");
      const old = here.jar.get("marg_session");
      const changed = await here.submit("/account", "/account/password", {
        current_password: TEST_PASSWORD,
        password: NEW_PASSWORD,
      });
      expect(changed.status).toBe(303);
      expect(here.jar.get("marg_session")).not.toBe(old);
      const page = await here.get("/account");
      expect(page.status).toBe(200);
      expect(page.body).toContain("Password changed. Other devices are signed out.");
      expect(page.body).toContain("You are signed in on 1 device.");
      expect((await phone.get("/account")).status).toBe(303);

      const again = t.browser();
      const withOld = await again.submit("/login", "/login", {
        email: "changer@example.com",
        password: TEST_PASSWORD,
      });
      expect(withOld.status).toBe(401);
      const withNew = await again.submit("/login", "/login", {
        email: "changer@example.com",
        password: NEW_PASSWORD,
      });
      expect(withNew.status).toBe(303);
    });

    it("refuses a wrong current password with 422, changing nothing and signing nobody out", async () => {
      const here = await signedIn("careful@example.com");
      const phone = await signedIn("careful@example.com");
      const response = await here.submit("/account", "/account/password", {
        current_password: "a wrong current one",
        password: NEW_PASSWORD,
      });
      expect(response.status).toBe(422);
      expect(response.body).toContain("That is not your current password.");
      expect((await phone.get("/account")).status).toBe(200);
      const login = await t.browser().submit("/login", "/login", {
        email: "careful@example.com",
        password: TEST_PASSWORD,
      });
      expect(login.status).toBe(303);
    });

    it("refuses a too-short new password with 422 and the message next to the field", async () => {
      const here = await signedIn("weak@example.com");
      const response = await here.submit("/account", "/account/password", {
        current_password: TEST_PASSWORD,
        password: "short",
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatch(/<span class="error" id="f-password-error">[^<]+<\/span>/);
    });
  });

  it("sends a signed-out visitor from any account page to the sign-in form", async () => {
    const browser = t.browser();
    const page = await browser.get("/account");
    expect(page.status).toBe(303);
    expect(page.location).toBe("/login?next=%2Faccount");
    const token = /name="_csrf" value="([^"]*)"/.exec((await browser.get("/login")).body)?.[1] ?? "";
    const post = await browser.post("/account/profile", { _csrf: token, name: "Nobody" });
    expect(post.status).toBe(303);
    expect(post.location).toMatch(/^\/login\?next=/);
  });
});
