import { defineApp } from "@marg/core/app";
import { startTestApp, TEST_PASSWORD, type TestApp } from "@marg/core/testing";
import { generate } from "otplib";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, launchChromium, routeOriginTo } from "../support/chromium-browser.js";

// Two-factor sign-in as a person does it, in Chromium: set up from the account page
// (reading the key the page shows, as one types it into an app), sign out, sign in
// with the password and then a code. The browser asks for http://flow.marg.test and
// each request is passed to the app's loopback port, so origins and the cookie's
// domain are the real ones. The strict CSP must refuse nothing on these pages.

const PEOPLE = { member: { email: "ada@example.com", name: "Ada Member", role: "member" } } as const;
const FLOW = "http://flow.marg.test";

describe("two-factor sign-in in Chromium", () => {
  let t: TestApp<keyof typeof PEOPLE>;
  let chromium: ChromiumSession;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
      label: "two-factor-chromium",
      people: PEOPLE,
      listen: true,
    });
    chromium = await launchChromium({ resolveToLoopback: ["*.marg.test"] });
    await routeOriginTo(chromium.context, FLOW, t.url ?? "");
    page = await chromium.context.newPage();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  async function signInWithPassword(): Promise<void> {
    await page.goto(`${FLOW}/login`);
    await page.fill("#f-email", PEOPLE.member.email);
    await page.fill("#f-password", TEST_PASSWORD);
    await page.click("form[action='/login'] button[type=submit]");
  }

  it("sets up from the account page, then asks for a code after the password", async () => {
    await signInWithPassword();
    // Signed in (no code asked yet): let that navigation finish before the next one.
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${FLOW}/account`);
    await page.click("a[href='/account/two-factor']");
    await page.waitForURL(`${FLOW}/account/two-factor`);
    expect(await page.locator(".qr-code svg").count()).toBe(1);
    const secret = ((await page.textContent("#two-factor-secret")) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await chromium.screenshot(page, "two-factor-setup");
    await page.fill("#f-code", await generate({ secret, epoch: Math.floor(Date.now() / 1000) }));
    await page.click("form[action='/account/two-factor/confirm'] button[type=submit]");
    await page.waitForSelector("ol.recovery-codes");
    expect(await page.locator("ol.recovery-codes li").count()).toBe(10);
    await chromium.screenshot(page, "two-factor-recovery-codes");

    await page.click("form[action='/logout'] button");
    await page.waitForURL(`${FLOW}/login`);
    await signInWithPassword();
    await page.waitForURL(`${FLOW}/login/two-factor`);
    // The next step's code: the one that confirmed the set-up is spent.
    await page.fill("#f-code", await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.click("form[action='/login/two-factor'] button[type=submit]");
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${FLOW}/account`);
    expect(await page.textContent("#two-factor-h")).toBe("Two-factor sign-in");
    expect(await page.locator("text=10 recovery codes left").count()).toBe(1);
    expect(chromium.cspViolations).toEqual([]);
  }, 60_000);
});
