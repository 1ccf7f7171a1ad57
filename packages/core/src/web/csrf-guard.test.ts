import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../test/support/account-test-apps.js";
import { csrfTokenIn, type FormBrowser } from "../../../../test/support/form-browser.js";

describe("CSRF guard on every state-changing request", () => {
  let t: AccountTestApps;
  let userId = 0;
  let browser: FormBrowser;

  const currentName = async () => (await t.apps.flow?.platform.users.findById(userId))?.name;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "csrf-guard" });
    userId = (await t.createUser({ name: "Original Name", email: "csrf@example.com" })).id;
    browser = t.browser();
    await browser.submit("/login", "/login", { email: "csrf@example.com", password: TEST_PASSWORD });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("refuses a form post without a token with 403 and changes nothing", async () => {
    const response = await browser.post("/account/profile", { name: "Changed By Attacker" });
    expect(response.status).toBe(403);
    expect(response.body).toContain("This form has expired or came from another site.");
    expect(await currentName()).toBe("Original Name");
  });

  it("refuses a wrong token with 403 and changes nothing", async () => {
    const token = csrfTokenIn((await browser.get("/account")).body, "/account/profile") ?? "";
    const wrong = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    for (const bad of [wrong, "", "x", token.toUpperCase()]) {
      const response = await browser.post("/account/profile", { _csrf: bad, name: "Changed By Attacker" });
      expect(response.status, bad).toBe(403);
    }
    expect(await currentName()).toBe("Original Name");
  });

  it("refuses the valid token of another session (another signed-in user's page)", async () => {
    const other = t.browser();
    await t.createUser({ name: "Mallory", email: "mallory@example.com" });
    await other.submit("/login", "/login", { email: "mallory@example.com", password: TEST_PASSWORD });
    const token = csrfTokenIn((await other.get("/account")).body, "/account/profile") ?? "";
    const response = await browser.post("/account/profile", { _csrf: token, name: "Changed By Attacker" });
    expect(response.status).toBe(403);
    expect(await currentName()).toBe("Original Name");
  });

  it("refuses a cross-site sign-out without a token, leaving the user signed in", async () => {
    expect((await browser.post("/logout", {})).status).toBe(403);
    expect((await browser.get("/account")).status).toBe(200);
  });

  it("accepts the page's own token, from the form field or the X-CSRF-Token header", async () => {
    const token = csrfTokenIn((await browser.get("/account")).body, "/account/profile") ?? "";
    const viaForm = await browser.post("/account/profile", { _csrf: token, name: "Form Name" });
    expect(viaForm.status).toBe(303);
    expect(await currentName()).toBe("Form Name");
    const viaHeader = await browser.post(
      "/account/profile",
      { name: "Header Name" },
      { headers: { "x-csrf-token": token } },
    );
    expect(viaHeader.status).toBe(303);
    expect(await currentName()).toBe("Header Name");
  });

  it("accepts a token issued by one app on a sibling app (one session, one token)", async () => {
    const token = csrfTokenIn((await browser.get("/account")).body, "/account/profile") ?? "";
    const onLinks = browser.at(t.apps.links?.site ?? browser.site);
    const response = await onLinks.post("/account/profile", { _csrf: token, name: "Links Name" });
    expect(response.status).toBe(303);
    expect(await currentName()).toBe("Links Name");
  });

  it("answers a JSON client's missing token with 403 JSON", async () => {
    const response = await browser.post(
      "/account/profile",
      { name: "Json Attacker" },
      { headers: { accept: "application/json" } },
    );
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_SESSION_CSRF_INVALID" } });
    expect(await currentName()).toBe("Links Name");
  });
});
