/**
 * The chained open redirect, in a real Chromium: flow's sign-in with
 * `next=http://links…/<slug>`, where the short link leads to a foreign site
 * (foreign.example, served by this test behind the same nginx as flow and links,
 * both `marg serve` processes). After a genuine sign-in the browser must end on
 * a MARG page. And short links to private addresses are refused in links' form.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type SecurityFleet, startSecurityFleet } from "../support/security-fleet.js";

const ADA = { email: "ada@marg.localhost", name: "Ada Lovelace" };
const SLUG = "to-foreign";

describe("sign-in never ends on a foreign site, even through a short link", () => {
  let fleet: SecurityFleet;
  let page: Page;

  beforeAll(async () => {
    fleet = await startSecurityFleet({
      label: "open-redirect",
      siteHosts: ["foreign.example"],
      site: (_request, response) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end("<!doctype html><title>Foreign site</title><h1>You left MARG</h1>");
      },
    });
    // Ada makes a short link to the foreign site, as anyone with links.create may.
    const ada = fleet.http("links");
    await ada.submit("/login", "/login", { email: ADA.email, password: DEMO_PASSWORD });
    const created = await ada.submit("/links/new", "/links", {
      targetUrl: fleet.url("foreign.example", "/landed"),
      slug: SLUG,
      enabled: "on",
    });
    expect(created.status).toBe(303);
    expect((await fleet.http("links").get(`/${SLUG}`)).location).toBe(
      fleet.url("foreign.example", "/landed"),
    );
    page = await fleet.chromium.context.newPage();
  }, 180_000);

  afterAll(async () => {
    await fleet?.close();
  });

  it("lands on a MARG page after signing in on flow with next=<links short link>", async () => {
    const next = fleet.url("links.marg.test", `/${SLUG}`);
    await page.goto(fleet.url("flow.marg.test", `/login?next=${encodeURIComponent(next)}`));
    await page.getByLabel("Email").fill(ADA.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((at) => at.pathname !== "/login");
    await page.waitForLoadState("load");
    expect(new URL(page.url()).hostname).toBe("flow.marg.test");
    expect(await page.locator(".user-menu .name").textContent()).toBe(ADA.name);
    expect(fleet.visits.filter((visit) => visit.host.startsWith("foreign.example"))).toEqual([]);
  });

  it("does not follow next to a sibling host that is no MARG app either", async () => {
    const next = fleet.url("foreign.marg.test", "/");
    await page.goto(fleet.url("flow.marg.test", `/login?next=${encodeURIComponent(next)}`));
    // Already signed in: the sign-in page forwards at once, through the same filter.
    expect(new URL(page.url()).hostname).toBe("flow.marg.test");
  });

  it("does not follow a path next that is a short link on links itself", async () => {
    await page.goto(fleet.url("links.marg.test", `/login?next=${encodeURIComponent(`/${SLUG}`)}`));
    expect(new URL(page.url()).hostname).toBe("links.marg.test");
    expect(fleet.visits.filter((visit) => visit.host.startsWith("foreign.example"))).toEqual([]);
  });

  it("refuses short links to metadata, loopback and private addresses with a field message", async () => {
    for (const target of [
      "http://169.254.169.254/latest/meta-data/",
      "http://2130706433/",
      "http://[::ffff:127.0.0.1]/",
      "http://192.168.0.1/",
      "http://localhost:8080/",
    ]) {
      await page.goto(fleet.url("links.marg.test", "/links/new"));
      await page.getByLabel("Where the link goes").fill(target);
      await page.getByRole("button", { name: "Create short link" }).click();
      await page.waitForLoadState("load");
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text, target).toContain("short links may only lead to public addresses");
      expect(new URL(page.url()).pathname, target).toBe("/links");
    }
  });

  it("shows every page it visited without a Content-Security-Policy violation", () => {
    expect(fleet.cspViolations).toEqual([]);
  });
});
