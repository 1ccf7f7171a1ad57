/**
 * What a person does on the fleet's pages in Chromium (sign in, see who is
 * signed in, reload until something the workers make is there) and what the
 * data says (counts asked of MariaDB directly), for test/fleet/journeys.test.ts.
 */
import type { Page } from "playwright-core";
import { FLEET_DOMAIN } from "./loopback-inventory.js";
import { run } from "./rendered-fleet.js";

export const DEMO_PASSWORD = "marg-demo-password";

export const DEMO = {
  ada: { email: "ada@marg.localhost", name: "Ada Lovelace" },
  grace: { email: "grace@marg.localhost", name: "Grace Hopper" },
  linus: { email: "linus@marg.localhost", name: "Linus Member" },
  vera: { email: "vera@marg.localhost", name: "Vera Viewer" },
} as const;

/** `http://<app>.marg.test<path>`: the address a person types, as in production. */
export function appUrl(app: string, path = "/"): string {
  return `http://${app}.${FLEET_DOMAIN}${path}`;
}

/** Signs in with the form on `app`'s sign-in page and waits to leave it. */
export async function signIn(page: Page, app: string, email: string, password = DEMO_PASSWORD) {
  await page.goto(appUrl(app, "/login"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** The name in the page's user menu, or null when the page shows "Sign in". */
export async function signedInName(page: Page): Promise<string | null> {
  const name = page.locator(".user-menu .name");
  return (await name.count()) === 0 ? null : ((await name.first().textContent()) ?? "").trim();
}

/** Opens `path` on `app` and says who the page shows as signed in (null: nobody). */
export async function whoIsSignedInOn(page: Page, app: string, path = "/account"): Promise<string | null> {
  await page.goto(appUrl(app, path));
  if (new URL(page.url()).pathname === "/login") return null;
  return signedInName(page);
}

/**
 * Reloads `page` until `check` holds, as a person would press F5 while the
 * worker finishes; fails after `timeoutMs`.
 */
export async function reloadUntil(
  page: Page,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // A short pause between polls keeps this from hammering a busy 2-core fleet.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await page.reload();
  }
}

/** One number from a query run as root on this machine's MariaDB. */
export async function sqlCount(database: string, sql: string): Promise<number> {
  const result = await run("mariadb", [
    "--protocol=tcp",
    "-h",
    "127.0.0.1",
    "-u",
    "root",
    "-N",
    "-B",
    database,
    "-e",
    sql,
  ]);
  const value = Number(result.output.trim());
  if (result.code !== 0 || !Number.isFinite(value)) throw new Error(`query failed: ${result.output}`);
  return value;
}

/** `YYYY-MM-DD` (UTC) `days` before today. */
export function utcDay(daysAgo = 0): string {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}
