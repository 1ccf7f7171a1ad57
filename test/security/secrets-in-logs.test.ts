/**
 * Attacker's view of the logs: whoever reads a `marg serve` process's log (a log
 * shipper, an operator, a leaked file) must find no live secret in it. A real
 * password-reset link (mailed by the process itself, QUEUE_CONNECTION=sync) is
 * opened, a made-up CSRF token is put in an upload URL, and the log is searched.
 */

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, type FormBrowser, type Site } from "../support/form-browser.js";
import { firstLinkIn, readMailBox } from "../support/mail-box.js";
import type { RunningProcess } from "../support/spawn-process.js";
import { createSecurityInstallation, SEEDED, type SecurityInstallation } from "./security-installation.js";

describe("secrets never reach a log", () => {
  let security: SecurityInstallation;
  let site: Site;
  let server: RunningProcess;
  let resetLink: URL;

  beforeAll(async () => {
    security = await createSecurityInstallation("secrets-in-logs");
    ({ site, process: server } = await security.serve({
      QUEUE_CONNECTION: "sync",
      LOG_REDACT_PARAMS: "invite",
    }));
    const guest = security.browser(site);
    const asked = await guest.submit("/forgot-password", "/forgot-password", { email: SEEDED.email });
    expect(asked.status).toBe(200);
    const mail = readMailBox(path.join(security.installation.root, "storage", "mail")).at(-1);
    const link = firstLinkIn(mail?.text ?? "");
    if (link === undefined) throw new Error("no reset link was mailed");
    resetLink = link;
  }, 180_000);
  afterAll(async () => {
    await security?.stop();
  });

  const token = () => resetLink.searchParams.get("token") ?? "";

  /** Waits until the access log has the line of `url` (redacted), then returns the whole log. */
  async function logAfter(pathname: string): Promise<string> {
    await server.waitFor(new RegExp(`"url":"${pathname.replace(/[?]/g, "\\?")}[^"]*"`), 10_000);
    return server.output();
  }

  it("logs the reset page's URL with the token redacted, and the token nowhere", async () => {
    expect(token()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const browser = security.browser(site);
    const landing = await browser.get(`${resetLink.pathname}${resetLink.search}`);
    // The token leaves the address bar at once: the form is at the bare URL.
    expect(landing.status).toBe(303);
    expect(landing.location).toBe("/reset-password");
    expect(landing.headers["referrer-policy"]).toBe("no-referrer");
    expect((await browser.get("/reset-password")).body).toContain(`value="${token()}"`);
    const log = await logAfter("/reset-password?token=");
    expect(log).toContain('"url":"/reset-password?token=[redacted]"');
    expect(log).not.toContain(token());
  });

  it("keeps the token out of the log when the reset form is posted, and when a URL with it errors", async () => {
    const browser = security.browser(site);
    await browser.get(`${resetLink.pathname}${resetLink.search}`);
    const csrf = csrfTokenIn((await browser.get("/reset-password")).body, "/reset-password") ?? "";
    await browser.get(`/no-such-page?token=${token()}&password=hunter2-in-url&invite=inv-secret-9`);
    const done = await browser.post("/reset-password", {
      _csrf: csrf,
      token: token(),
      password: "a brand new passphrase",
    });
    expect(done.status).toBe(303);
    const log = await logAfter("/no-such-page?token=");
    expect(log).not.toContain(token());
    expect(log).not.toContain("hunter2-in-url");
    expect(log).not.toContain("inv-secret-9");
  });

  it("puts no CSRF token in any form's URL: the avatar upload form carries it as a field", async () => {
    const ada: FormBrowser = security.browser(site);
    const signedIn = await ada.submit("/login", "/login", {
      email: SEEDED.email,
      password: "a brand new passphrase",
    });
    expect(signedIn.status).toBe(303);
    const profile = await ada.get("/profile");
    expect(profile.status).toBe(200);
    expect(profile.body).toContain('enctype="multipart/form-data"');
    expect(profile.body).not.toMatch(/action="[^"]*[?&]_csrf=/);
    expect(csrfTokenIn(profile.body, "/profile/avatar")).toBeDefined();
  });

  it("redacts a CSRF token someone still puts in an upload URL, and refuses the upload", async () => {
    const ada = security.browser(site);
    await ada.submit("/login", "/login", { email: SEEDED.email, password: "a brand new passphrase" });
    const csrf = csrfTokenIn((await ada.get("/profile")).body, "/profile/avatar") ?? "";
    const response = await ada.post(`/profile/avatar?_csrf=${encodeURIComponent(csrf)}`, {});
    expect(response.status).toBe(403);
    const log = await logAfter("/profile/avatar?_csrf=");
    expect(log).toContain('"url":"/profile/avatar?_csrf=[redacted]"');
    expect(log).not.toContain(csrf);
  });
});
