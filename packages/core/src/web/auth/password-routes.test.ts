import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import type { FormBrowser } from "../../../../../test/support/form-browser.js";
import { firstLinkIn, readMailBox } from "../../../../../test/support/mail-box.js";

const NEW_PASSWORD = "a brand new passphrase";

/** The page without what differs per request (tokens, the typed address), for comparing answers. */
const normalise = (html: string) => html.replace(/value="[^"]*"/g, 'value=""');

describe("forgot and reset password over HTTP", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "password-routes" });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Submits the forgot-password form, then lets the worker send what it queued. */
  async function ask(browser: FormBrowser, email: string) {
    const response = await browser.submit("/forgot-password", "/forgot-password", { email });
    await t.deliverMail();
    return response;
  }

  /** Asks for a link for `email` and returns it from the mail it produced. */
  async function resetLinkFor(email: string): Promise<URL> {
    const before = readMailBox(t.mailDir).length;
    await ask(t.browser(), email);
    const mails = readMailBox(t.mailDir);
    expect(mails).toHaveLength(before + 1);
    const link = firstLinkIn(mails.at(-1)?.text ?? "");
    if (link === undefined) throw new Error("the reset mail has no link");
    return link;
  }

  const signIn = (browser: FormBrowser, email: string, password: string) =>
    browser.submit("/login", "/login", { email, password });

  it("gives the same answer for an unknown and a known address, and mails only the known one", async () => {
    await t.createUser({ name: "Known", email: "known@example.com" });
    const before = readMailBox(t.mailDir).length;
    const unknown = await ask(t.browser(), "nobody@example.com");
    expect(readMailBox(t.mailDir)).toHaveLength(before);
    const known = await ask(t.browser(), "known@example.com");
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(known.body).toContain(
      "If an account uses that address, a link to reset its password is on its way.",
    );
    expect(normalise(unknown.body)).toBe(normalise(known.body));

    const mails = readMailBox(t.mailDir);
    expect(mails).toHaveLength(before + 1);
    const mail = mails.at(-1);
    expect(mail?.to).toBe("known@example.com");
    expect(mail?.subject).toBe("Reset your MARG password");
    const link = firstLinkIn(mail?.text ?? "");
    expect(link?.origin).toBe("http://flow.marg.test");
    expect(link?.pathname).toBe("/reset-password");
    expect(link?.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses a malformed address with 422 and says why, mailing nothing", async () => {
    const before = readMailBox(t.mailDir).length;
    const response = await ask(t.browser(), "not an address");
    expect(response.status).toBe(422);
    expect(response.body).toContain('id="f-email-error"');
    expect(readMailBox(t.mailDir)).toHaveLength(before);
  });

  it("resets the password once: the link then fails, the new password signs in and the old does not", async () => {
    await t.createUser({ name: "Resetter", email: "resetter@example.com" });
    const link = await resetLinkFor("resetter@example.com");
    const browser = t.browser();
    const page = `${link.pathname}${link.search}`;
    // The link's token moves into the session; the browser moves on to the bare URL.
    const landing = await browser.get(page);
    expect(landing.status).toBe(303);
    expect(landing.location).toBe("/reset-password");
    expect(landing.headers["referrer-policy"]).toBe("no-referrer");
    expect(landing.headers["cache-control"]).toBe("no-store");
    const form = await browser.get("/reset-password");
    expect(form.status).toBe(200);
    expect(form.body).toContain(`name="token" value="${link.searchParams.get("token")}"`);
    expect(form.headers["referrer-policy"]).toBe("no-referrer");
    // Another browser, without the landing, gets an empty form.
    expect((await t.browser().get("/reset-password")).body).toContain('name="token" value=""');

    const done = await browser.submit(page, "/reset-password", {
      token: link.searchParams.get("token") ?? "",
      password: NEW_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/login");
    expect((await browser.get("/login")).body).toContain("Your password is changed.");

    const again = await t.browser().submit(page, "/reset-password", {
      token: link.searchParams.get("token") ?? "",
      password: "yet another passphrase",
    });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(again.body).toContain('href="/forgot-password"');

    expect((await signIn(t.browser(), "resetter@example.com", TEST_PASSWORD)).status).toBe(401);
    expect((await signIn(t.browser(), "resetter@example.com", NEW_PASSWORD)).status).toBe(303);
  });

  it("keeps the link usable when the new password is refused as too short", async () => {
    await t.createUser({ name: "Short", email: "short@example.com" });
    const link = await resetLinkFor("short@example.com");
    const token = link.searchParams.get("token") ?? "";
    const page = `${link.pathname}${link.search}`;
    const weak = await t.browser().submit(page, "/reset-password", { token, password: "short" });
    expect(weak.status).toBe(422);
    expect(weak.body).toContain('id="f-password-error"');
    const ok = await t.browser().submit(page, "/reset-password", { token, password: NEW_PASSWORD });
    expect(ok.status).toBe(303);
  });

  it("signs the user out everywhere when the password is reset", async () => {
    await t.createUser({ name: "Signed In", email: "signed-in@example.com" });
    const laptop = t.browser("links");
    await signIn(laptop, "signed-in@example.com", TEST_PASSWORD);
    expect((await laptop.get("/account")).status).toBe(200);
    const link = await resetLinkFor("signed-in@example.com");
    const page = `${link.pathname}${link.search}`;
    await t.browser().submit(page, "/reset-password", {
      token: link.searchParams.get("token") ?? "",
      password: NEW_PASSWORD,
    });
    expect((await laptop.get("/account")).status).toBe(303);
  });

  it("answers a made-up token with the form and a way to ask again, never a 500", async () => {
    for (const token of ["made-up", "", "x".repeat(5000)]) {
      const response = await t.browser().submit("/reset-password", "/reset-password", {
        token,
        password: NEW_PASSWORD,
      });
      expect(response.status, token.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(response.status, token.slice(0, 20)).toBeLessThan(500);
    }
  });
});
