/**
 * Debian's Chromium (playwright-core) pointed at a rendered fleet's HAProxy:
 * every `*.<domain>` name resolves, inside the browser only, to the load
 * balancer's loopback address and port, so pages load `http://flow.<domain>/`
 * exactly as in production (no port in the URL, the Host header the rendered
 * HAProxy routes on, the links the apps put in mails work as they are).
 * Each person is a browser context of their own (own cookies).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { ARTIFACTS_DIR, CHROMIUM_ARGS, CHROMIUM_BIN } from "../../support/chromium-browser.js";

export interface FleetChromium {
  readonly browser: Browser;
  /** A new person: a fresh context with no cookies. */
  person(): Promise<BrowserContext>;
  /** Saves a PNG of `page` as test-artifacts/<name>.png. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchFleetChromium(options: {
  domain: string;
  lb: { readonly address: string; readonly port: number };
}): Promise<FleetChromium> {
  const target = `${options.lb.address}:${options.lb.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      // The fleet's front door here is plain HTTP; never try https:// first.
      "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable",
      // Port 80 of every app's name goes to HAProxy's loopback address and port.
      `--host-resolver-rules=MAP *.${options.domain} ${target}`,
    ],
  });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    browser,
    async person() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      // A step that cannot happen fails with its own message, well before the test's timeout.
      context.setDefaultTimeout(20_000);
      return context;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
    },
    close: () => browser.close(),
  };
}
