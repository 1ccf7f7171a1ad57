import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChromiumSession,
  launchChromium,
  routeOriginTo,
} from "../../../../test/support/chromium-browser.js";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";

// An admin registers a sign-in client in Chromium, as a person does: fills the form,
// copies the secret from the page that shows it once, rotates it, deletes the client
// behind its confirmation. The browser asks for http://admin.marg.test; each request
// is passed to admin's loopback port. The strict CSP must refuse nothing here.

const ADMIN = "http://admin.marg.test";

describe("sign-in clients in admin, in Chromium", () => {
  let t: AdminTestApp;
  let chromium: ChromiumSession;
  let page: Page;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-oidc-chromium", { listen: true, queue: false });
    chromium = await launchChromium({ resolveToLoopback: ["*.marg.test"] });
    await routeOriginTo(chromium.context, ADMIN, t.admin.url ?? "");
    page = await chromium.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  it("registers a client, shows its secret once, rotates it and deletes the client", async () => {
    await page.goto(`${ADMIN}/login`);
    await page.fill("#f-email", "grace@marg.localhost");
    await page.fill("#f-password", TEST_PASSWORD);
    await page.click("form[action='/login'] button[type=submit]");
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.click("nav a[href='/oidc-clients']");
    await page.waitForURL(`${ADMIN}/oidc-clients`);
    await page.fill("#f-clientId", "grafana");
    await page.fill("#f-name", "Grafana");
    await page.fill(
      "#f-redirectUris",
      "https://grafana.example.com/login/generic_oauth\nhttp://127.0.0.1:3000/cb",
    );
    await page.selectOption("#f-appScope", "flow");
    await page.check("input[name=firstParty]");
    await page.click("form[action='/oidc-clients'] button[type=submit]");
    await page.waitForSelector("#client-secret");
    const secret = (await page.textContent("#client-secret")) ?? "";
    expect(secret).toMatch(/^marg_ocs_[0-9A-Za-z]{40,}$/);
    expect(await t.platform.oidcClients.verifySecret("grafana", secret)).toBe(true);
    await chromium.screenshot(page, "admin-oidc-client-secret");

    await page.click("text=Done, I have stored it");
    await page.waitForURL(`${ADMIN}/oidc-clients`);
    expect(await page.locator("table.list code", { hasText: /^grafana$/ }).count()).toBe(1);
    expect(await page.content()).not.toContain(secret);
    await chromium.screenshot(page, "admin-oidc-clients-list");

    await page.click("form[action='/oidc-clients/grafana/rotate-secret'] button");
    await page.waitForSelector("#client-secret");
    const rotated = (await page.textContent("#client-secret")) ?? "";
    expect(rotated).not.toBe(secret);
    expect(await t.platform.oidcClients.verifySecret("grafana", rotated)).toBe(true);
    expect(await t.platform.oidcClients.verifySecret("grafana", secret)).toBe(false);

    await page.goto(`${ADMIN}/oidc-clients`);
    await page.click("details.confirm summary");
    await page.click("form[action='/oidc-clients/grafana/delete'] button");
    await page.waitForSelector("text=can no longer sign anyone in");
    expect(await t.platform.oidcClients.find("grafana")).toBeNull();
    expect(chromium.cspViolations).toEqual([]);
  }, 60_000);
});
