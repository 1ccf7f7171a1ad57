/**
 * admin.marg in a real browser against `marg dev` (a real process on a free port,
 * in a temp MARG_ROOT): a member is signed in on flow in one browser context, an
 * admin disables them in another, and the member's next request lands on the
 * sign-in page. Reads and writes only the temp root; screenshots of admin's main
 * pages go to test-artifacts/admin-*.png.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS_DIR, CHROMIUM_ARGS, CHROMIUM_BIN } from "../support/chromium-browser.js";
import { freePort } from "../support/free-port.js";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "../support/spawn-process.js";

const PASSWORD = "marg-demo-password";

describe("admin in the browser: disabling a user signs out their open tab", () => {
  const root = createTempDir("admin-journey");
  let server: RunningProcess;
  let browser: Browser;
  // Two contexts: two people on two machines, each with their own cookies.
  let memberContext: BrowserContext;
  let adminContext: BrowserContext;
  let member: Page;
  let admin: Page;
  const cspViolations: string[] = [];
  let flow = "";
  let adminBase = "";

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });

  async function signIn(page: Page, base: string, email: string): Promise<void> {
    await page.goto(`${base}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
  }

  beforeAll(async () => {
    const port = await freePort();
    // A fresh checkout: `marg dev` makes .env.shared from .env.example (one cookie on .marg.localhost).
    copyFileSync(path.join(REPO_ROOT, ".env.example"), path.join(root.path, ".env.example"));
    flow = `http://flow.marg.localhost:${port}`;
    adminBase = `http://admin.marg.localhost:${port}`;
    server = startProcess("node", [MARG_BIN, "dev"], {
      cwd: REPO_ROOT,
      env: { MARG_ROOT: root.path, PORT: String(port), LOG_LEVEL: "warn" },
    });
    await server.waitFor(/MARG is running/, 90_000);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP *.marg.localhost 127.0.0.1"],
    });
    memberContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    member = await memberContext.newPage();
    admin = await adminContext.newPage();
    for (const context of [memberContext, adminContext]) {
      context.on("console", (message) => {
        if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
          cspViolations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
        }
      });
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    root.remove();
  });

  it("has the member signed in on flow", async () => {
    await signIn(member, flow, "linus@marg.localhost");
    await member.goto(`${flow}/account`);
    expect(new URL(member.url()).pathname).toBe("/account");
    await expect(member.getByText("linus@marg.localhost").first().isVisible()).resolves.toBe(true);
  });

  it("keeps the member out of admin with the 403 page", async () => {
    const response = await member.goto(`${adminBase}/users`);
    expect(response?.status()).toBe(403);
    await shot(member, "admin-403-for-member");
  });

  it("shows the admin the control room and finds the member", async () => {
    await signIn(admin, adminBase, "grace@marg.localhost");
    expect(new URL(admin.url()).pathname).toBe("/");
    await expect(admin.getByRole("heading", { name: "Control room", level: 1 }).isVisible()).resolves.toBe(
      true,
    );
    await shot(admin, "admin-control-room");
    await admin.getByRole("link", { name: "Users", exact: true }).first().click();
    await admin.getByLabel("Search").fill("linus");
    await admin.getByRole("button", { name: "Filter" }).click();
    await admin.waitForURL(/\/users\?q=linus/);
    await shot(admin, "admin-users");
    await admin.getByRole("link", { name: "Linus Member" }).click();
    await admin.waitForURL(/\/users\/\d+$/);
    await expect(admin.getByText(/Open sessions/).isVisible()).resolves.toBe(true);
  });

  it("disables the member, ending the session in the other browser", async () => {
    await admin.getByText("Disable…").click();
    await admin.getByRole("button", { name: "Disable and sign out" }).click();
    await admin.waitForURL(/\/users\/\d+$/);
    await expect(
      admin.getByText("Linus Member is disabled; 1 open session was ended.").isVisible(),
    ).resolves.toBe(true);
    await shot(admin, "admin-user-disabled");

    await member.goto(`${flow}/account`);
    expect(new URL(member.url()).pathname).toBe("/login");
    await expect(member.getByRole("button", { name: "Sign in" }).isVisible()).resolves.toBe(true);
  });

  it("records the change in the audit log", async () => {
    await admin.goto(`${adminBase}/audit`);
    await expect(admin.getByText("user.disable").first().isVisible()).resolves.toBe(true);
    await shot(admin, "admin-audit");
  });

  it("renders the other control-room pages", async () => {
    for (const [page, heading] of [
      ["/roles", "Roles"],
      ["/roles/member", "Role member"],
      ["/permissions", "Who has what"],
      ["/queues", "Queues"],
      ["/feedback", "Feedback"],
      ["/health-overview", "Health"],
    ] as const) {
      const response = await admin.goto(`${adminBase}${page}`);
      expect(response?.status(), page).toBe(200);
      await expect(admin.getByRole("heading", { name: heading, level: 1 }).isVisible()).resolves.toBe(true);
      await shot(admin, `admin${page.replace(/\//g, "-")}`);
    }
    // Admin asked every app's /health (flow, links, admin, id) over HTTP, through the same front door.
    await expect(admin.getByText("4 of 4 apps healthy", { exact: false }).isVisible()).resolves.toBe(true);
  });

  it("shows admin's and flow's pages without a Content-Security-Policy violation", () => {
    expect(cspViolations).toEqual([]);
  });
});
