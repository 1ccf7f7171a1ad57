import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import { firstLinkIn, readMailBox } from "../../../../../test/support/mail-box.js";

/** The page without what differs per request (tokens, the typed address), for comparing answers. */
const normalise = (html: string) => html.replace(/value="[^"]*"/g, 'value=""');

describe("sign-up when REGISTRATION_ENABLED is not set", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "register-closed", apps: ["flow"] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("offers no sign-up link, answers 404 on /register and creates nobody", async () => {
    const browser = t.browser();
    const login = await browser.get("/login");
    expect(login.body).not.toContain('href="/register"');
    expect((await browser.get("/register")).status).toBe(404);
    const posted = await browser.post("/register", { email: "stranger@example.com" });
    expect([403, 404]).toContain(posted.status);
    const json = await browser.post(
      "/register",
      { email: "stranger@example.com" },
      { headers: { accept: "application/json" } },
    );
    expect(json.status).not.toBe(202);
    expect(await t.deliverMail()).toBe(0);
    expect(await t.apps.flow?.platform.users.findByEmail("stranger@example.com")).toBeNull();
  });
});

describe("sign-up when REGISTRATION_ENABLED=true", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({
      label: "register-open",
      // Every sign-up here comes from one test client; the per-address limit
      // (RATE_LIMIT_REGISTER_IP) is proven in test/security/rate-limits.test.ts.
      env: {
        REGISTRATION_ENABLED: "true",
        REGISTRATION_DOMAINS: "example.com",
        RATE_LIMIT_REGISTER_IP: "0/1h",
      },
    });
    await t.apps.flow?.platform.rbac.createRole("member");
    await t.createUser({ name: "Taken", email: "taken@example.com" });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("links to sign-up from the sign-in page and asks only for an address", async () => {
    const browser = t.browser();
    expect((await browser.get("/login")).body).toContain('href="/register"');
    const form = await browser.get("/register");
    expect(form.status).toBe(200);
    expect(form.body).toContain('name="email"');
    expect(form.body).not.toContain('name="password"');
  });

  it("gives the same page for a new and a taken address, and mails each owner what fits", async () => {
    const fresh = await t.browser().submit("/register", "/register", { email: "new.person@example.com" });
    const taken = await t.browser().submit("/register", "/register", { email: "Taken@Example.com" });
    expect(fresh.status).toBe(200);
    expect(taken.status).toBe(200);
    expect(fresh.body).toContain("Check your mail");
    expect(normalise(fresh.body)).toBe(normalise(taken.body));
    expect(fresh.body).not.toMatch(/already|exists/i);
    // Nothing was decided in the request: no account, no link, until the worker runs.
    expect(await t.apps.flow?.platform.users.findByEmail("new.person@example.com")).toBeNull();
    await t.deliverMail();
    const mails = readMailBox(t.mailDir);
    expect(mails.map((mail) => mail.to).sort()).toEqual(["new.person@example.com", "taken@example.com"]);
    const toTaken = mails.find((mail) => mail.to === "taken@example.com");
    expect(toTaken?.text).toContain("already has one");
    expect(firstLinkIn(toTaken?.text ?? "")?.pathname).toBe("/login");
    const toNew = mails.find((mail) => mail.to === "new.person@example.com");
    expect(toNew?.subject).toBe(toTaken?.subject);
    expect(firstLinkIn(toNew?.text ?? "")?.pathname).toBe("/join");
  });

  it("creates the account with REGISTRATION_ROLE only when the mailed link is used, signed in on every app", async () => {
    await t.browser().submit("/register", "/register", { email: "verified@example.com" });
    await t.deliverMail();
    const mail = readMailBox(t.mailDir).find((m) => m.to === "verified@example.com");
    const link = firstLinkIn(mail?.text ?? "");
    if (link === undefined) throw new Error("no sign-up link was mailed");
    const browser = t.browser();
    const page = `${link.pathname}${link.search}`;
    expect((await browser.get(page)).body).toContain("For verified@example.com.");
    const done = await browser.submit(page, "/join", {
      token: link.searchParams.get("token") ?? "",
      name: "Verified Person",
      password: TEST_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/account");
    const user = await t.apps.flow?.platform.users.findByEmail("verified@example.com");
    expect(user?.name).toBe("Verified Person");
    expect(await t.apps.flow?.platform.rbac.hasRole(user?.id ?? 0, "member")).toBe(true);
    expect((await browser.at(t.apps.links?.site ?? browser.site).get("/account")).status).toBe(200);
  });

  it("mails nothing to a disabled account's address, and still answers as for any other", async () => {
    const flow = t.apps.flow?.platform;
    const banned = await t.createUser({ name: "Banned", email: "banned@example.com" });
    await flow?.users.disable(banned.id);
    const response = await t.browser().submit("/register", "/register", { email: "banned@example.com" });
    expect(response.status).toBe(200);
    expect(response.body).toContain("Check your mail");
    expect(await t.deliverMail()).toBe(1);
    expect(readMailBox(t.mailDir).some((mail) => mail.to === "banned@example.com")).toBe(false);
  });

  it("refuses an address outside REGISTRATION_DOMAINS with 422 beside the field, mailing nothing", async () => {
    const response = await t.browser().submit("/register", "/register", { email: "someone@elsewhere.test" });
    expect(response.status).toBe(422);
    expect(response.body).toMatch(/<span class="error" id="f-email-error">[^<]*approved domains/);
    expect(await t.deliverMail()).toBe(0);
  });

  it("refuses a malformed address with 422, and a sign-up without the form's CSRF token with 403", async () => {
    expect((await t.browser().submit("/register", "/register", { email: "not an address" })).status).toBe(
      422,
    );
    const browser = t.browser();
    await browser.get("/register");
    expect((await browser.post("/register", { email: "forged@example.com" })).status).toBe(403);
    expect(await t.deliverMail()).toBe(0);
  });
});
