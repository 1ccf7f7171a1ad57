/**
 * links.marg in a real browser against `marg dev` (a real process in a temp
 * MARG_ROOT, demo data seeded): create a short link → follow it → see the click
 * in its statistics. Writes screenshots of the main pages to test-artifacts/.
 */
import { createTempDir } from "@marg/core/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, launchChromium } from "../support/chromium-browser.js";
import { freePort } from "../support/free-port.js";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "../support/spawn-process.js";

describe("links.marg in the browser", () => {
  const root = createTempDir("links-journey");
  let port = 0;
  let server: RunningProcess;
  let chromium: ChromiumSession;
  let page: Page;
  const links = () => `http://links.marg.localhost:${port}`;

  beforeAll(async () => {
    port = await freePort();
    server = startProcess("node", [MARG_BIN, "dev"], {
      cwd: REPO_ROOT,
      env: { MARG_ROOT: root.path, PORT: String(port), LOG_LEVEL: "warn" },
    });
    await server.waitFor(/MARG is running/, 90_000);
    chromium = await launchChromium({ resolveToLoopback: ["*.marg.localhost"] });
    page = await chromium.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.stop();
    root.remove();
  });

  it("signs in and shows the member's demo links", async () => {
    await page.goto(`${links()}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByLabel("Email").fill("linus@marg.localhost");
    await page.getByLabel("Password").fill("marg-demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${links()}/links`);
    await expect(page.getByRole("heading", { name: "My links" }).isVisible()).resolves.toBe(true);
    expect(await page.content()).toContain("/launch");
    await chromium.screenshot(page, "links-list");
  });

  it("creates a short link, showing field errors first", async () => {
    await page.getByRole("link", { name: "New short link" }).click();
    await page.getByLabel("Where the link goes").fill("javascript:alert(1)");
    await page.getByLabel("Short name").fill("journey");
    await page.getByRole("button", { name: "Create short link" }).click();
    expect(await page.locator("#f-targetUrl-error").textContent()).toContain("javascript: links are refused");
    await chromium.screenshot(page, "links-form-error");
    // The target is another MARG page that answers the same signed in or not, so following it needs no network.
    await page.getByLabel("Where the link goes").fill(`http://flow.marg.localhost:${port}/health/live`);
    await page.getByLabel("Title (optional)").fill("Journey <test>");
    await page.getByRole("button", { name: "Create short link" }).click();
    await page.waitForURL(`${links()}/links`);
    expect(await page.locator(".flash-success").textContent()).toContain(`${links()}/journey`);
    expect(await page.content()).toContain("Journey &lt;test&gt;");
  });

  it("follows the short link to its target", async () => {
    // A second tab of the signed-in browser: the redirect ignores the session cookie it sends.
    const other = await chromium.context.newPage();
    await other.goto(`${links()}/journey`, { referer: "https://news.example.com/story" });
    expect(other.url()).toBe(`http://flow.marg.localhost:${port}/health/live`);
    await other.close();
  });

  it("shows the click in the link's statistics", async () => {
    await page.goto(`${links()}/links?q=journey`);
    await page.getByRole("link", { name: "Stats" }).click();
    await expect(page.getByRole("heading", { name: "1 click in 30 days" }).isVisible()).resolves.toBe(true);
    expect(await page.locator("#referrers").textContent()).toContain("news.example.com");
    await chromium.screenshot(page, "links-stats-new");
  });

  it("shows a demo link's month of clicks as a chart", async () => {
    await page.goto(`${links()}/links?q=launch`);
    await page.getByRole("link", { name: "Stats" }).click();
    expect(await page.locator("#clicks-per-day rect").count()).toBe(30);
    await chromium.screenshot(page, "links-stats");
  });

  it("answers an unknown short link with the friendly 404 page", async () => {
    const response = await page.goto(`${links()}/no-such-link`);
    expect(response?.status()).toBe(404);
    expect(await page.content()).toContain("does not exist or has been switched off");
    await chromium.screenshot(page, "links-404");
  });

  it("shows every page of the journey without a Content-Security-Policy violation", () => {
    expect(chromium.cspViolations).toEqual([]);
  });
});
