/**
 * The seed's checklist item "Test session sharing between apps", as phase 2 runs it:
 * flow and links as two `marg serve` processes of one installation, behind a real
 * nginx routing by host name, driven by a real Chromium. Run once per session driver.
 * Screenshots go to test-artifacts/one-login-<driver>-*.png.
 */
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, type ScratchRedisPrefix } from "@marg/core/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChromiumSession, launchChromium } from "../support/chromium-browser.js";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { type NginxProxy, startNginxProxy } from "../support/nginx-proxy.js";
import { readRawSession, type SessionDriverName } from "../support/raw-session.js";
import type { RunningProcess } from "../support/spawn-process.js";

const DRIVERS: readonly SessionDriverName[] = ["database", "redis"];
const APPS = ["flow", "links"] as const;
const ADA = { email: "ada@marg.localhost", name: "Ada Lovelace", password: "marg-demo-password" };
const GRACE = { email: "grace@marg.localhost", password: "marg-demo-password" };

describe("one login for every app: flow and links behind nginx, in Chromium", () => {
  const installation: MargInstallation = createMargInstallation("one-login");
  const appKey = generateAppKey();

  beforeAll(async () => {
    // One installation for both runs: users in its SQLite rbac database, migrated and seeded once.
    installation.writeSharedEnv({ APP_KEY: appKey, LOG_LEVEL: "warn" });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
  }, 120_000);
  afterAll(() => installation.remove());

  for (const driver of DRIVERS) {
    describe(`SESSION_DRIVER=${driver}`, () => {
      let redis: ScratchRedisPrefix | undefined;
      let nginx: NginxProxy;
      const servers: RunningProcess[] = [];
      let chromium: ChromiumSession;
      let flowTab: Page;
      let linksTab: Page;
      const url = (app: string, pathname: string) => `http://${app}.marg.test:${nginx.port}${pathname}`;
      const shot = (page: Page, step: string) => chromium.screenshot(page, `one-login-${driver}-${step}`);
      const where = () => ({
        root: installation.root,
        ...(redis === undefined ? {} : { redisPrefix: redis.prefix }),
      });

      beforeAll(async () => {
        redis = driver === "redis" ? createScratchRedisPrefix("one_login") : undefined;
        const [nginxPort, flowPort, linksPort] = [await freePort(), await freePort(), await freePort()];
        installation.writeSharedEnv({
          APP_KEY: appKey,
          MARG_APPS: APPS.join(","),
          MARG_DOMAIN: "marg.test",
          SESSION_DOMAIN: ".marg.test",
          SESSION_DRIVER: driver,
          SESSION_ENCRYPT: "true",
          MAIL_MAILER: "log",
          LOG_LEVEL: "warn",
          ...(redis === undefined ? {} : { REDIS_PREFIX: redis.prefix }),
        });
        for (const app of APPS)
          installation.writeAppEnv(app, { APP_URL: `http://${app}.marg.test:${nginxPort}` });
        // Chromium starts while the apps boot; every process that did start is stopped in afterAll.
        const launching = launchChromium({ resolveToLoopback: ["*.marg.test"] });
        const started = await Promise.allSettled([
          installation.serve("flow", flowPort),
          installation.serve("links", linksPort),
        ]);
        for (const result of started) if (result.status === "fulfilled") servers.push(result.value);
        chromium = await launching;
        for (const result of started) if (result.status === "rejected") throw result.reason;
        nginx = await startNginxProxy({
          port: nginxPort,
          routes: [
            { serverName: "flow.marg.test", upstreamPort: flowPort },
            { serverName: "links.marg.test", upstreamPort: linksPort },
          ],
        });
        // Fail a step with Playwright's own message, well inside the test's timeout.
        chromium.context.setDefaultTimeout(10_000);
        flowTab = await chromium.context.newPage();
      }, 120_000);

      afterAll(async () => {
        await chromium?.close();
        await nginx?.stop();
        await Promise.all(servers.map((server) => server.stop()));
        await redis?.clear();
      });

      it("signs in on flow by filling the form and clicking “Sign in”", async () => {
        await flowTab.goto(url("flow", "/login"));
        expect(await flowTab.title()).toBe("Sign in · Flow · MARG");
        await shot(flowTab, "1-flow-sign-in");
        await flowTab.getByLabel("Email").fill(ADA.email);
        await flowTab.getByLabel("Password").fill(ADA.password);
        await flowTab.getByRole("button", { name: "Sign in" }).click();
        // Wherever flow's home is, it is on flow and no longer the sign-in form.
        await flowTab.waitForURL((at) => at.hostname === "flow.marg.test" && at.pathname !== "/login");
        expect(await flowTab.locator(".user-menu .name").textContent()).toBe(ADA.name);
        await shot(flowTab, "2-flow-signed-in");
      });

      it("is signed in on links without signing in again: links' account page shows Ada", async () => {
        linksTab = await chromium.context.newPage();
        await linksTab.goto(url("links", "/account"));
        expect(linksTab.url()).toBe(url("links", "/account"));
        expect(await linksTab.title()).toBe("Your account · Links · MARG");
        expect(await linksTab.locator(".user-menu .name").textContent()).toBe(ADA.name);
        await expect(linksTab.getByText(`Email: ${ADA.email}`).count()).resolves.toBe(1);
        await shot(linksTab, "3-links-signed-in");
      });

      it("reaches links from flow's app switcher, still signed in", async () => {
        await flowTab.getByRole("navigation", { name: "Apps" }).getByRole("link", { name: "Links" }).click();
        await flowTab.waitForURL((at) => at.hostname === "links.marg.test" && at.pathname !== "/login");
        expect(await flowTab.locator(".user-menu .name").textContent()).toBe(ADA.name);
        await flowTab.goto(url("flow", "/account"));
      });

      it("keeps one session cookie, on .marg.test, HttpOnly and SameSite=Lax, sent to both apps", async () => {
        const cookies = await chromium.context.cookies();
        expect(cookies.map((cookie) => cookie.name)).toEqual(["marg_session"]);
        expect(cookies[0]).toMatchObject({
          domain: ".marg.test",
          path: "/",
          httpOnly: true,
          sameSite: "Lax",
        });
        const [forFlow] = await chromium.context.cookies(url("flow", "/"));
        const [forLinks] = await chromium.context.cookies(url("links", "/"));
        expect(forFlow?.value).toBe(forLinks?.value);
      });

      it("went through nginx: both hosts are in its access log, with the request ids the apps kept", async () => {
        const log = nginx.accessLog();
        expect(log).toMatch(/^flow\.marg\.test [0-9a-f]{32} 303 "POST \/login HTTP\/1\.1"$/m);
        expect(log).toMatch(/^links\.marg\.test [0-9a-f]{32} 200 "GET \/account HTTP\/1\.1"$/m);
        const response = await new FormBrowser({ host: "links.marg.test", port: nginx.port }).get("/health");
        const id = String(response.headers["x-request-id"]);
        expect(id).toMatch(/^[0-9a-f]{32}$/);
        // nginx writes its log line after the response has left: give it a moment.
        for (let tries = 0; tries < 40 && !nginx.accessLog().includes(`links.marg.test ${id} `); tries += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(nginx.accessLog()).toContain(`links.marg.test ${id} `);
      });

      it("signs out on links, and flow's page, reloaded, is signed out too (sent to /login)", async () => {
        const [signedIn] = await chromium.context.cookies();
        await linksTab.getByRole("button", { name: "Sign out", exact: true }).click();
        await linksTab.waitForURL(url("links", "/login"));
        await shot(linksTab, "4-links-signed-out");
        // The sign-in form starts a fresh anonymous session (for its CSRF token); the signed-in one is gone.
        const after = await chromium.context.cookies();
        expect(after.map((cookie) => cookie.value)).not.toContain(signedIn?.value);
        expect(await readRawSession(driver, where(), signedIn?.value ?? "")).toBeNull();
        await flowTab.reload();
        expect(flowTab.url()).toBe(url("flow", "/login?next=%2Faccount"));
        expect(await flowTab.title()).toBe("Sign in · Flow · MARG");
        await shot(flowTab, "5-flow-signed-out");
      });

      it("stores the session encrypted: the raw stored value holds neither email nor name", async () => {
        // Plain HTTP through nginx, as any client would: sign in, then read the store directly.
        const client = new FormBrowser({ host: "flow.marg.test", port: nginx.port });
        const signedIn = await client.submit("/login", "/login", {
          email: GRACE.email,
          password: GRACE.password,
        });
        expect(signedIn.status).toBe(303);
        const cookie = client.jar.get("marg_session") ?? "";
        const raw = await readRawSession(driver, where(), cookie);
        expect(raw).not.toBeNull();
        const dump = JSON.stringify(raw);
        expect(dump).not.toContain("grace");
        expect(dump).not.toContain("Grace");
        expect(dump).not.toContain(cookie.split(".")[0]);
        const values = Object.entries(raw ?? {}).filter(([field]) => /^(d|payload):/.test(field));
        expect(values.length).toBeGreaterThan(0);
        for (const [field, value] of values) expect(value, field).toMatch(/^e1\.[0-9a-f]{8}\./);
      });

      it("shows flow's and links' pages without a Content-Security-Policy violation", () => {
        expect(chromium.cspViolations).toEqual([]);
      });
    });
  }
});
