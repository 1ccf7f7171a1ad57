/**
 * Issue 17's passkey journey, as a person does it: flow and links as two `marg serve`
 * processes of one installation behind a real nginx, driven by Chromium with its
 * virtual authenticator (DevTools WebAuthn.addVirtualAuthenticator). Sign in on flow
 * with the password, add a passkey on the account page by clicking, sign out, sign in
 * on flow with the passkey (no password typed), and be signed in on links. The
 * captured assertion, replayed, is refused. Run once per session driver. Plain http
 * origins are made secure contexts with --unsafely-treat-insecure-origin-as-secure, as
 * nginx's TLS would in production. Screenshots: test-artifacts/passkey-<driver>-*.png.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, type ScratchRedisPrefix } from "@marg/core/testing";
import SQLite from "better-sqlite3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addVirtualAuthenticator,
  type ChromiumSession,
  launchChromium,
} from "../support/chromium-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { type NginxProxy, startNginxProxy } from "../support/nginx-proxy.js";
import type { SessionDriverName } from "../support/raw-session.js";
import type { RunningProcess } from "../support/spawn-process.js";

const DRIVERS: readonly SessionDriverName[] = ["database", "redis"];
const APPS = ["flow", "links"] as const;
const ADA = { email: "ada@marg.localhost", name: "Ada Lovelace", password: "marg-demo-password" };

/** A JSON POST from inside the page, as the page's own script makes it; the status and parsed body. */
async function postFromPage(
  page: Page,
  url: string,
  csrf: string,
  body: unknown,
): Promise<{ status: number; json: { error?: { code?: string } } }> {
  return await page.evaluate(
    async ({ url, csrf, body }) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": csrf },
        body: JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as { error?: { code?: string } } };
    },
    { url, csrf, body },
  );
}

describe("passkeys on the pages: register on flow, sign in with it, signed in on links", () => {
  const installation: MargInstallation = createMargInstallation("passkey-journey");
  const appKey = generateAppKey();

  beforeAll(async () => {
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
      /** The body the page posted to /login/passkey: the assertion an attacker would replay. */
      let captured: { credential: unknown; next: string } | undefined;
      const passkeyName = `Ada's laptop (${driver})`;
      const url = (app: string, pathname: string) => `http://${app}.marg.test:${nginx.port}${pathname}`;
      const shot = (page: Page, step: string) => chromium.screenshot(page, `passkey-${driver}-${step}`);

      beforeAll(async () => {
        redis = driver === "redis" ? createScratchRedisPrefix("passkey_journey") : undefined;
        const [nginxPort, flowPort, linksPort] = [await freePort(), await freePort(), await freePort()];
        installation.writeSharedEnv({
          APP_KEY: appKey,
          MARG_APPS: APPS.join(","),
          MARG_DOMAIN: "marg.test",
          SESSION_DOMAIN: ".marg.test",
          SESSION_DRIVER: driver,
          MAIL_MAILER: "log",
          LOG_LEVEL: "info",
          ...(redis === undefined ? {} : { REDIS_PREFIX: redis.prefix }),
        });
        for (const app of APPS)
          installation.writeAppEnv(app, { APP_URL: `http://${app}.marg.test:${nginxPort}` });
        // Each driver's journey starts with Ada on her password alone: the previous one added
        // a passkey, and a passkey makes the password step ask for a second one.
        await installation.run(["user:reset-2fa", ADA.email]);
        const origins = APPS.map((app) => `http://${app}.marg.test:${nginxPort}`);
        const launching = launchChromium({
          resolveToLoopback: ["*.marg.test"],
          args: [`--unsafely-treat-insecure-origin-as-secure=${origins.join(",")}`],
        });
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
        chromium.context.setDefaultTimeout(10_000);
        flowTab = await chromium.context.newPage();
        // A platform authenticator with user verification, answering without a touch.
        await addVirtualAuthenticator(flowTab);
        flowTab.on("request", (request) => {
          if (request.method() === "POST" && new URL(request.url()).pathname === "/login/passkey") {
            captured = JSON.parse(request.postData() ?? "null") as typeof captured;
          }
        });
      }, 120_000);

      afterAll(async () => {
        await chromium?.close();
        await nginx?.stop();
        await Promise.all(servers.map((server) => server.stop()));
        await redis?.clear();
      });

      it("signs in on flow with the password", async () => {
        await flowTab.goto(url("flow", "/login"));
        await flowTab.getByLabel("Email").fill(ADA.email);
        await flowTab.getByLabel("Password").fill(ADA.password);
        await flowTab.getByRole("button", { name: "Sign in", exact: true }).click();
        await flowTab.waitForURL((at) => at.hostname === "flow.marg.test" && at.pathname !== "/login");
        expect(await flowTab.locator(".user-menu .name").textContent()).toBe(ADA.name);
      });

      it("adds a passkey on the account page by clicking “Add a passkey”", async () => {
        await flowTab.goto(url("flow", "/account"));
        const card = flowTab.locator("section", { has: flowTab.getByRole("heading", { name: "Passkeys" }) });
        await card.getByLabel("Passkey name").fill(passkeyName);
        await shot(flowTab, "1-account-before");
        await card.getByRole("button", { name: "Add a passkey" }).click();
        await flowTab
          .getByText(`Passkey “${passkeyName}” added. You can sign in with it on every app.`)
          .waitFor();
        const item = card.locator("li", { hasText: passkeyName });
        await card.scrollIntoViewIfNeeded();
        expect(await item.textContent()).toMatch(
          /This device only\s+Created \d{1,2} \w{3} \d{4}, [\d:]{5} UTC · Last used never/,
        );
        expect(await item.getByRole("button", { name: `Remove passkey ${passkeyName}` }).count()).toBe(1);
        await shot(flowTab, "2-passkey-added");
      });

      it("signs out, then signs in on flow with the passkey: no password typed", async () => {
        await flowTab.getByRole("button", { name: "Sign out", exact: true }).click();
        await flowTab.waitForURL(url("flow", "/login"));
        await shot(flowTab, "3-sign-in-page");
        const before = (await chromium.context.cookies()).map((cookie) => cookie.value);
        await flowTab.getByRole("button", { name: "Use a passkey" }).click();
        await flowTab.waitForURL((at) => at.hostname === "flow.marg.test" && at.pathname !== "/login");
        expect(await flowTab.locator(".user-menu .name").textContent()).toBe(ADA.name);
        expect(await flowTab.getByLabel("Password").count()).toBe(0);
        // A new session id at sign-in, as with the password (no fixation).
        const after = (await chromium.context.cookies()).map((cookie) => cookie.value);
        expect(after.some((value) => before.includes(value))).toBe(false);
        expect(captured?.credential).toBeDefined();
        await shot(flowTab, "4-signed-in-with-passkey");
      });

      it("is signed in on links, whose account page lists the passkey as just used", async () => {
        const linksTab = await chromium.context.newPage();
        await linksTab.goto(url("links", "/account"));
        expect(linksTab.url()).toBe(url("links", "/account"));
        expect(await linksTab.locator(".user-menu .name").textContent()).toBe(ADA.name);
        const item = linksTab.locator("li", { hasText: passkeyName });
        await item.scrollIntoViewIfNeeded();
        expect(await item.textContent()).toMatch(/Last used \d{1,2} \w{3} \d{4}, [\d:]{5} UTC/);
        await shot(linksTab, "5-links-signed-in");
        await linksTab.close();
      });

      it("records the sign-in with its method and address, and the passkey added, in the audit trail", () => {
        const dir = path.join(installation.root, "storage", "database");
        const file = readdirSync(dir).find((name) => name.includes("rbac") && name.endsWith(".sqlite"));
        const db = new SQLite(path.join(dir, file ?? "missing"), { readonly: true });
        try {
          const rows = db
            .prepare(
              "SELECT action, after_json AS after, ip FROM audit_log WHERE action LIKE 'account.%' ORDER BY id",
            )
            .all() as { action: string; after: string | null; ip: string | null }[];
          expect(rows.map((row) => row.action)).toContain("account.passkey.added");
          const signIn = rows.find(
            (row) => row.action === "account.sign-in" && /"method":"passkey"/.test(row.after ?? ""),
          );
          expect(signIn?.ip).toBe("127.0.0.1");
        } finally {
          db.close();
        }
      });

      it("refuses the captured assertion, replayed: 400 E_AUTH_PASSKEY_INVALID, still signed out", async () => {
        await flowTab.getByRole("button", { name: "Sign out", exact: true }).click();
        await flowTab.waitForURL(url("flow", "/login"));
        const csrf = (await flowTab.locator("[data-passkey-sign-in]").getAttribute("data-csrf")) ?? "";
        // Straight away: no challenge waits in this session.
        const bare = await postFromPage(flowTab, "/login/passkey", csrf, captured);
        expect(bare).toMatchObject({ status: 400, json: { error: { code: "E_AUTH_PASSKEY_INVALID" } } });
        // After asking for a fresh challenge: the old assertion answers another one.
        expect((await postFromPage(flowTab, "/login/passkey/options", csrf, {})).status).toBe(200);
        const replayed = await postFromPage(flowTab, "/login/passkey", csrf, captured);
        expect(replayed).toMatchObject({ status: 400, json: { error: { code: "E_AUTH_PASSKEY_INVALID" } } });
        await flowTab.goto(url("flow", "/account"));
        expect(new URL(flowTab.url()).pathname).toBe("/login");
      });

      it("shows every page of the journey without a Content-Security-Policy violation", () => {
        expect(chromium.cspViolations).toEqual([]);
      });
    });
  }
});
