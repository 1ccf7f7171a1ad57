/**
 * Debian's Chromium driven by playwright-core, for browser tests: headless, a fresh
 * user-data dir (removed on close), and `*.marg.test` resolved to 127.0.0.1 inside the
 * browser, so pages load real host names through a local nginx without touching
 * /etc/hosts or DNS. Writes only its temp profile and the screenshots asked for.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "./spawn-process.js";

export const CHROMIUM_BIN = "/usr/bin/chromium";
/** Where browser tests leave their screenshots (gitignored). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, "test-artifacts");

/**
 * The flags every browser test launches Chromium with, before its own
 * `--host-resolver-rules`: headless, no sandbox (root in a container has no user
 * namespaces for it), and none of Chromium's own background traffic.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ChromiumSession {
  readonly context: BrowserContext;
  /**
   * Content-Security-Policy violations of every page so far, as Chromium logs them
   * ("Refused to apply inline style…"): a page that needs an inline script, style or
   * handler shows up here, so browser tests can assert the policy breaks nothing.
   */
  readonly cspViolations: readonly string[];
  /** Saves a PNG of `page` as test-artifacts/<name>.png and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile. `resolveToLoopback` lists host patterns
 * (`*.marg.test`) the browser sends to 127.0.0.1.
 */
export async function launchChromium(options: {
  resolveToLoopback: readonly string[];
  /** More flags, e.g. `--unsafely-treat-insecure-origin-as-secure=…` for WebAuthn over plain http. */
  args?: readonly string[];
}): Promise<ChromiumSession> {
  const profile = createTempDir("chromium-profile");
  const rules = options.resolveToLoopback.map((pattern) => `MAP ${pattern} 127.0.0.1`).join(",");
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath: CHROMIUM_BIN,
      headless: true,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=${rules}`, ...(options.args ?? [])],
      viewport: { width: 1280, height: 720 },
    });
  } catch (error) {
    profile.remove();
    throw error;
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const cspViolations: string[] = [];
  context.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      cspViolations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
    }
  });
  return {
    context,
    cspViolations,
    async screenshot(page, name) {
      const file = path.join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/**
 * Sends the browser's requests for `origin` (e.g. http://flow.marg.test) to an app
 * listening at `target` (its loopback URL), with the origin's Host header, as a proxy
 * in front of it would. Redirects are handed to the page, not followed here.
 */
export async function routeOriginTo(context: BrowserContext, origin: string, target: string): Promise<void> {
  const host = new URL(origin).host;
  await context.route(`${origin}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await route.fetch({
      url: `${target}${url.pathname}${url.search}`,
      headers: { ...route.request().headers(), host },
      maxRedirects: 0,
    });
    await route.fulfill({ response });
  });
}

/**
 * Gives `page` Chromium's virtual WebAuthn authenticator (DevTools protocol): a
 * platform authenticator with resident keys and user verification that answers
 * without a touch, so passkey ceremonies run unattended.
 */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}
