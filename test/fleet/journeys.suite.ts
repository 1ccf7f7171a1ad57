/**
 * The journeys a person makes, in Chromium, through the rendered fleet's HAProxy:
 * `marg infra:render` on a phase 3 loopback inventory, everything it rendered
 * run as rendered (HAProxy → nginx on two http servers → `marg serve` under
 * supervisord, `marg work` under supervisord, Redis, MariaDB), the browser
 * resolving `*.marg.test` to HAProxy so pages and mailed links are production's
 * addresses. Mail leaves the workers over SMTP to a server this file runs; what
 * the workers make (avatars, previews, exports) is waited for by polling.
 * Each journey uses its own demo user, so they do not depend on one another.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FleetChromium, launchFleetChromium } from "./support/fleet-chromium.js";
import {
  appUrl,
  DEMO,
  DEMO_PASSWORD,
  reloadUntil,
  signedInName,
  signIn,
  sqlCount,
  utcDay,
  whoIsSignedInOn,
} from "./support/journey-steps.js";
import { FLEET_DOMAIN } from "./support/loopback-inventory.js";
import { attachmentsOf, csvDataRows, plainTextOf } from "./support/mail-parts.js";
import { marg } from "./support/rendered-fleet.js";
import { sharedFleet } from "./support/shared-fleet.js";
import type { ReceivedMail } from "./support/smtp-box.js";

const MAIL_WAIT_MS = 60_000;
// Scratch files (uploaded images); the fleet is the shared one (test/fleet/support/fleet-global-setup.ts).
const temp = createTempDir("fleet-journeys");
const { inventory, smtp } = sharedFleet();
let chromium: FleetChromium;

const databaseOf = (app: string) =>
  (inventory.data.apps as { name: string; database: string }[]).find((a) => a.name === app)?.database ?? "";

/** A fresh person (own cookies) with one tab open. */
async function person(): Promise<Page> {
  return (await chromium.person()).newPage();
}

/** The first mail `match` accepts; when none comes, the error says what `marg queue:failed` shows. */
async function mailMatching(what: string, match: (mail: ReceivedMail) => boolean): Promise<ReceivedMail> {
  try {
    return await smtp.waitFor(match, MAIL_WAIT_MS);
  } catch (error) {
    const failed = await marg(inventory.installRoot, ["queue:failed"]);
    throw new Error(
      `${what}: ${(error as Error).message}\nmarg queue:failed:\n${failed.output.slice(0, 3000)}`,
    );
  }
}

function mailTo(email: string, subject: RegExp): Promise<ReceivedMail> {
  return mailMatching(`mail to ${email}`, (mail) => mail.to.includes(email) && subject.test(mail.subject));
}

async function pngFile(name: string, width: number, height: number): Promise<string> {
  const file = path.join(temp.path, name);
  const image = sharp({ create: { width, height, channels: 3, background: "#3b5bdb" } });
  writeFileSync(file, await image.png().toBuffer());
  return file;
}

/** GETs `url` from the page (the browser's cookies, its host mapping): status, type, size, text. */
async function fetchInPage(page: Page, url: string) {
  return page.evaluate(async (target) => {
    const response = await fetch(target);
    const body = await response.arrayBuffer();
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      bytes: body.byteLength,
      text: new TextDecoder().decode(body),
    };
  }, url);
}

const naturalWidth = (page: Page, alt: string) =>
  page.getByAltText(alt).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);

describe("journeys in Chromium through the rendered fleet's HAProxy", () => {
  // Inside the describe: test/fleet/shared-fleet.test.ts runs rendered-fleet.suite.ts first,
  // which needs no browser.
  beforeAll(async () => {
    chromium = await launchFleetChromium({ domain: FLEET_DOMAIN, lb: inventory.lb });
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    temp.remove();
  }, 120_000);

  it("signs in on flow and is signed in on links and admin; signing out on links signs out everywhere", async () => {
    const page = await person();
    await signIn(page, "flow", DEMO.ada.email);
    for (const app of ["flow", "links", "admin"])
      expect(await whoIsSignedInOn(page, app), app).toBe(DEMO.ada.name);
    await page.goto(appUrl("links", "/account"));
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(appUrl("links", "/login"));
    for (const app of ["flow", "links", "admin"]) expect(await whoIsSignedInOn(page, app), app).toBeNull();
    await page.goto(appUrl("flow", "/"));
    expect(await signedInName(page)).toBeNull();
  });

  it("mails a working reset link over SMTP for a forgotten password; the new password signs in", {
    timeout: 120_000,
  }, async () => {
    const page = await person();
    await page.goto(appUrl("flow", "/login"));
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill(DEMO.grace.email);
    await page.getByRole("button", { name: "Send link" }).click();
    const mail = await mailTo(DEMO.grace.email, /password/i);
    expect(mail.from).toBe(`noreply@${FLEET_DOMAIN}`);
    const link = /http:\/\/flow\.marg\.test\/reset-password\?token=[^\s"<>]+/.exec(
      plainTextOf(mail.raw),
    )?.[0];
    expect(link, mail.raw.slice(0, 2000)).toBeDefined();

    await page.goto(link ?? "");
    const newPassword = "a-brand-new-fleet-password";
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Set password" }).click();
    await page.waitForURL(appUrl("flow", "/login"));

    await page.getByLabel("Email").fill(DEMO.grace.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    const refused = page.waitForResponse(
      (r) => r.request().method() === "POST" && r.url().endsWith("/login"),
    );
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await refused).status()).toBeGreaterThanOrEqual(400);
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe("/login");
    await signIn(page, "links", DEMO.grace.email, newPassword);
    expect(await whoIsSignedInOn(page, "flow")).toBe(DEMO.grace.name);
  });

  it("serves the avatar the supervisord-run worker resized, on flow and in links' header", async () => {
    const page = await person();
    await signIn(page, "flow", DEMO.linus.email);
    await page.goto(appUrl("flow", "/profile"));
    await page.getByLabel("New picture").setInputFiles(await pngFile("portrait.png", 640, 360));
    await page.getByRole("button", { name: "Upload picture" }).click();
    await page.waitForURL(appUrl("flow", "/profile"));
    await reloadUntil(page, "the resized avatar", () => page.getByAltText("Your avatar").isVisible());
    expect(await naturalWidth(page, "Your avatar")).toBe(256);
    const src = (await page.getByAltText("Your avatar").getAttribute("src")) ?? "";
    const served = await fetchInPage(page, src);
    expect(served.status).toBe(200);
    expect(served.type).toContain("image/webp");
    expect(served.bytes).toBeGreaterThan(0);

    await page.goto(appUrl("links", "/account"));
    const header = page.locator(".user-menu img.avatar");
    expect(await header.getAttribute("src")).toContain(src.replace(/^\/avatars\//, ""));
    await expect
      .poll(() => header.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(256);
    await chromium.screenshot(page, "fleet-links-avatar");
  });

  it("shows the preview of an attached image once the worker made it", async () => {
    const page = await person();
    await signIn(page, "flow", DEMO.linus.email);
    await page.goto(appUrl("flow", "/tasks/new"));
    await page.getByLabel("Title").fill("Fleet journey task");
    await page.getByRole("button", { name: "Create task" }).click();
    await page.waitForURL(/\/tasks\/\d+$/);
    await page.getByLabel("Attach a file").setInputFiles(await pngFile("diagram.png", 640, 360));
    await page.getByRole("button", { name: "Upload" }).click();
    await page.waitForURL(/#attachments-heading$/);
    await expect(page.getByText("Attached “diagram.png”.").isVisible()).resolves.toBe(true);
    await reloadUntil(page, "the attachment's preview", async () => {
      const preview = page.getByAltText("Preview of diagram.png");
      if (!(await preview.isVisible())) return false;
      return (await naturalWidth(page, "Preview of diagram.png")) > 0;
    });
    expect(await naturalWidth(page, "Preview of diagram.png")).toBe(320);
    await chromium.screenshot(page, "fleet-flow-attachment");
  });

  it("mails flow's task export over SMTP as an attachment with as many rows as the tasks table has in the range", {
    timeout: 120_000,
  }, async () => {
    const page = await person();
    await signIn(page, "flow", DEMO.ada.email);
    await page.goto(appUrl("flow", "/reports"));
    const [from, to] = [utcDay(300), utcDay(0)];
    await page.getByLabel("From").fill(from);
    await page.getByLabel("To").fill(to);
    await page.getByRole("button", { name: "Export tasks" }).click();
    await page.waitForURL(appUrl("flow", "/reports"));
    const mail = await mailTo(DEMO.ada.email, /export/i);
    const text = plainTextOf(mail.raw);
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`) + 86_400_000;
    const expected = await sqlCount(
      databaseOf("flow"),
      `SELECT COUNT(*) FROM tasks WHERE created_at >= ${start} AND created_at < ${end}`,
    );
    expect(expected).toBeGreaterThan(0);
    expect(text).toContain(`(${expected} tasks)`);
    // The CSV arrives attached (well under REPORT_ATTACH_MAX_MB), the same file the mailed link serves.
    const attached = attachmentsOf(mail.raw).find((part) => part.filename === `tasks-${from}-to-${to}.csv`);
    expect(attached?.filename, mail.raw.slice(0, 2000)).toBeDefined();
    expect(csvDataRows(attached?.text ?? "")).toHaveLength(expected);
    const link = /http:\/\/flow\.marg\.test\/reports\/\d+\/download/.exec(text)?.[0];
    expect((await fetchInPage(page, link ?? "")).text).toBe(attached?.text);
  });

  it("mails links' CSV export as an attachment over SMTP with the rows link_clicks_daily holds", {
    timeout: 120_000,
  }, async () => {
    const page = await person();
    await signIn(page, "links", DEMO.linus.email);
    await page.goto(appUrl("links", "/links?q=launch"));
    await page.getByRole("link", { name: "Stats" }).click();
    await page.getByRole("button", { name: "Export CSV" }).click();
    await page.waitForURL(/\/links\/\d+\/stats/);
    const launch = `(SELECT id FROM links WHERE slug = 'launch')`;
    const since = `link_id = ${launch} AND day >= '${utcDay(29)}'`;
    const [rows, clicks] = await Promise.all([
      sqlCount(databaseOf("links"), `SELECT COUNT(*) FROM link_clicks_daily WHERE ${since}`),
      sqlCount(databaseOf("links"), `SELECT SUM(clicks) FROM link_clicks_daily WHERE ${since}`),
    ]);
    expect(rows).toBeGreaterThan(0);
    const mail = await mailMatching(
      "the links export",
      (candidate) => candidate.to.includes(DEMO.linus.email) && attachmentsOf(candidate.raw).length > 0,
    );
    const csv = attachmentsOf(mail.raw).find((part) =>
      /^links-launch-clicks-.*\.csv$/.test(part.filename ?? ""),
    );
    expect(csv?.filename, mail.raw.slice(0, 2000)).toBeDefined();
    const data = csvDataRows(csv?.text ?? "");
    expect(data).toHaveLength(rows);
    expect(data.reduce((sum, row) => sum + Number(row.at(-1)), 0)).toBe(clicks);
  });

  it("signs out the open flow and links tabs of a user the admin disables", async () => {
    const vera = await person();
    await signIn(vera, "flow", DEMO.vera.email);
    const veraLinks = await vera.context().newPage();
    expect(await whoIsSignedInOn(vera, "flow")).toBe(DEMO.vera.name);
    expect(await whoIsSignedInOn(veraLinks, "links")).toBe(DEMO.vera.name);

    const admin = await person();
    await signIn(admin, "admin", DEMO.ada.email);
    await admin.goto(appUrl("admin", "/users?q=vera"));
    await admin.getByRole("link", { name: DEMO.vera.name }).click();
    await admin.waitForURL(/\/users\/\d+$/);
    await admin.getByText("Disable…").click();
    await admin.getByRole("button", { name: "Disable and sign out" }).click();
    await admin.waitForURL(/\/users\/\d+$/);
    await expect(admin.getByText(`${DEMO.vera.name} is disabled;`).isVisible()).resolves.toBe(true);

    // Her next request on either tab (a reload) shows her signed out.
    await vera.reload();
    expect(new URL(vera.url()).pathname).toBe("/login");
    await veraLinks.reload();
    expect(new URL(veraLinks.url()).pathname).toBe("/login");
    expect(await signedInName(veraLinks)).toBeNull();
  });
});
