import { defineApp } from "@marg/core/app";
import { type AuditDatabase, AuditLog } from "@marg/core/audit";
import { startTestApp, TEST_PASSWORD, type TestApp } from "@marg/core/testing";
import type { Kysely } from "kysely";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addVirtualAuthenticator,
  type ChromiumSession,
  launchChromium,
  routeOriginTo,
} from "../support/chromium-browser.js";

// A passkey as the second step after the password, as a person does it in Chromium with
// its virtual authenticator (DevTools WebAuthn.addVirtualAuthenticator): add a passkey on
// the account page, sign out, sign in with the password, and the two-factor step offers
// the passkey; one click and signed in. The assertion the browser sent, replayed after a
// new password step, is refused. The browser asks for http://flow.marg.test (made a secure
// context, as TLS would) and each request is passed to the app's loopback port. The strict
// CSP must refuse nothing. Then, with AUTH_REQUIRE_2FA, an admin without two-factor adds a
// passkey on the set-up page instead of an app, and may use the app. Screenshots:
// test-artifacts/two-factor-passkey-*.png, two-factor-required-passkey-setup.png.

const PEOPLE = { member: { email: "ada@example.com", name: "Ada Member", role: "member" } } as const;
const FLOW = "http://flow.marg.test";

describe("a passkey as the second factor, in Chromium", () => {
  let t: TestApp<keyof typeof PEOPLE>;
  let chromium: ChromiumSession;
  let page: Page;
  let captured: { credential?: unknown } | undefined;

  beforeAll(async () => {
    t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
      label: "two-factor-passkey-chromium",
      people: PEOPLE,
      listen: true,
    });
    chromium = await launchChromium({
      resolveToLoopback: ["*.marg.test"],
      args: [`--unsafely-treat-insecure-origin-as-secure=${FLOW}`],
    });
    await routeOriginTo(chromium.context, FLOW, t.url ?? "");
    page = await chromium.context.newPage();
    // A platform authenticator with user verification, answering without a touch.
    await addVirtualAuthenticator(page);
    page.on("request", (request) => {
      if (request.method() === "POST" && new URL(request.url()).pathname === "/login/two-factor/passkey") {
        captured = JSON.parse(request.postData() ?? "null") as typeof captured;
      }
    });
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

  it("adds a passkey, signs out, and after the password the passkey is the second step", async () => {
    await signInWithPassword();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${FLOW}/account`);
    const card = page.locator("section", { has: page.getByRole("heading", { name: "Passkeys" }) });
    await card.getByLabel("Passkey name").fill("Laptop");
    await card.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Passkey “Laptop” added.", { exact: false }).waitFor();
    expect(await page.locator("text=On, with your passkey.").count()).toBe(1);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(`${FLOW}/login`);
    await signInWithPassword();
    await page.waitForURL(`${FLOW}/login/two-factor`);
    const button = page.getByRole("button", { name: "Use a passkey" });
    await button.waitFor();
    // No authenticator app on this account: no code to type.
    expect(await page.locator("#f-code").count()).toBe(0);
    await chromium.screenshot(page, "two-factor-passkey-step");
    // The script goes where the sign-in was headed ("/"); a redirect from there is not
    // routed to the app by this harness, so the account page is opened by hand.
    const headedOn = page.waitForRequest((request) => new URL(request.url()).pathname === "/");
    await button.click();
    await headedOn;
    await page.goto(`${FLOW}/account`);
    expect(new URL(page.url()).pathname).toBe("/account");
    expect(await page.locator(".user-menu .name").textContent()).toBe(PEOPLE.member.name);
    expect(captured?.credential).toBeDefined();
    await chromium.screenshot(page, "two-factor-passkey-signed-in");
    expect(chromium.cspViolations).toEqual([]);

    const trail = await new AuditLog(t.platform.rbacDb as unknown as Kysely<AuditDatabase>).list({
      action: "account.sign-in",
      subjectId: String(t.users.member.id),
    });
    expect(trail.items[0]?.after).toMatchObject({ method: "password+passkey" });
  }, 60_000);

  it("refuses the captured assertion replayed after a new password step: 400 E_AUTH_PASSKEY_INVALID", async () => {
    const replayer = t.client();
    const password = await replayer.submit("/login", "/login", {
      email: PEOPLE.member.email,
      password: TEST_PASSWORD,
    });
    expect(password.location).toBe("/login/two-factor");
    const step = await replayer.get("/login/two-factor");
    const csrf = /data-passkey-second-factor data-csrf="([^"]+)"/.exec(step.body)?.[1] ?? "";
    const post = (path: string, body: unknown) =>
      replayer.send("POST", path, JSON.stringify(body), {
        accept: "application/json",
        "content-type": "application/json",
        "x-csrf-token": csrf,
      });
    // Without asking for a challenge, then with a fresh one it does not answer.
    const bare = await post("/login/two-factor/passkey", captured);
    expect([bare.status, (bare.json as { error?: { code?: string } }).error?.code]).toEqual([
      400,
      "E_AUTH_PASSKEY_INVALID",
    ]);
    expect((await post("/login/two-factor/passkey/options", {})).status).toBe(200);
    const replayed = await post("/login/two-factor/passkey", captured);
    expect([replayed.status, (replayed.json as { error?: { code?: string } }).error?.code]).toEqual([
      400,
      "E_AUTH_PASSKEY_INVALID",
    ]);
    expect((await replayer.getJson("/api/v1/me")).status).toBe(401);
  });
});

describe("AUTH_REQUIRE_2FA satisfied by a passkey added from the set-up page, in Chromium", () => {
  const ADMIN = { admin: { email: "root@example.com", name: "Root Admin", role: "admin" } } as const;
  let t: TestApp<keyof typeof ADMIN>;
  let chromium: ChromiumSession;
  let page: Page;

  beforeAll(async () => {
    t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
      label: "two-factor-required-passkey-chromium",
      people: ADMIN,
      listen: true,
      env: { AUTH_REQUIRE_2FA: "roles:admin" },
    });
    chromium = await launchChromium({
      resolveToLoopback: ["*.marg.test"],
      args: [`--unsafely-treat-insecure-origin-as-secure=${FLOW}`],
    });
    await routeOriginTo(chromium.context, FLOW, t.url ?? "");
    page = await chromium.context.newPage();
    // A platform authenticator with user verification, answering without a touch.
    await addVirtualAuthenticator(page);
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await t?.close();
  });

  it("an admin without two-factor adds a passkey on the set-up page and may then use the app", async () => {
    await page.goto(`${FLOW}/login`);
    await page.fill("#f-email", ADMIN.admin.email);
    await page.fill("#f-password", TEST_PASSWORD);
    await page.click("form[action='/login'] button[type=submit]");
    // Signed in, the browser heads for / and on to the set-up page: wait until that chain of
    // redirects has settled (whichever page it ends on), then open the set-up page by hand.
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.waitForLoadState("load");
    await page.goto(`${FLOW}/account/two-factor`);
    expect(await page.getByText("Your role requires two-factor sign-in").count()).toBe(1);
    await page.getByLabel("Passkey name").fill("Security key");
    await chromium.screenshot(page, "two-factor-required-passkey-setup");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.waitForURL(`${FLOW}/account`);
    await page.getByText("Passkey “Security key” added.", { exact: false }).waitFor();
    expect(await page.locator("text=On, with your passkey.").count()).toBe(1);
    expect(await t.platform.accounts.passkeys.count(t.users.admin.id)).toBe(1);
    expect(chromium.cspViolations).toEqual([]);
  }, 60_000);
});
