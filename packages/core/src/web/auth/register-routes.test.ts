import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";

describe("self-service sign-up over HTTP", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "register-routes" });
    await t.createUser({ name: "Taken", email: "taken@example.com" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("creates the account and signs the visitor in, on every app", async () => {
    const browser = t.browser();
    const response = await browser.submit("/register", "/register", {
      name: "New Person",
      email: "new.person@example.com",
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe("/");
    const account = await browser.get("/account");
    expect(account.status).toBe(200);
    expect(account.body).toContain("Welcome, New Person.");
    expect(account.body).toContain("Email: new.person@example.com");
    const onLinks = await browser.at(t.apps.links?.site ?? browser.site).get("/account");
    expect(onLinks.status).toBe(200);
    expect(await t.apps.flow?.platform.users.findByEmail("new.person@example.com")).toMatchObject({
      name: "New Person",
    });
  });

  it("re-renders the form for a taken email: 422, the message beside the field, the typed name kept", async () => {
    const browser = t.browser();
    const response = await browser.submit("/register", "/register", {
      name: "Typed Name",
      email: "Taken@Example.com",
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatch(/<span class="error" id="f-email-error">[^<]+<\/span>/);
    expect(response.body).toMatch(/id="f-email"[^>]*aria-invalid="true"/);
    expect(response.body).toMatch(/id="f-name"[^>]*value="Typed Name"/);
    expect(response.body).not.toContain(TEST_PASSWORD);
    expect((await browser.get("/account")).status).toBe(303);
  });

  it("re-renders the form for a too-short password with the message beside the password", async () => {
    const response = await t.browser().submit("/register", "/register", {
      name: "Short Password",
      email: "short.password@example.com",
      password: "short",
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatch(/<span class="error" id="f-password-error">[^<]+<\/span>/);
    expect(await t.apps.flow?.platform.users.findByEmail("short.password@example.com")).toBeNull();
  });

  it("refuses a sign-up without the form's CSRF token", async () => {
    const browser = t.browser();
    await browser.get("/register");
    const response = await browser.post("/register", {
      name: "Forged",
      email: "forged@example.com",
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(403);
    expect(await t.apps.flow?.platform.users.findByEmail("forged@example.com")).toBeNull();
  });
});
