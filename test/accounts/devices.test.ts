/**
 * "Your devices" across real `marg serve` processes: a session signed in on flow
 * shows on links' account page with its app, browser and address, and ending it
 * there signs that browser out on every app. Run on both session stores.
 */
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, type ScratchRedisPrefix } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, FormBrowser, type Site } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import type { RunningProcess } from "../support/spawn-process.js";

const LINUS = { email: "linus@marg.localhost", password: "marg-demo-password" };
const CHROME_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/** The session rows of an account page: handle and text. */
function rows(page: string): { handle: string; text: string }[] {
  return [...page.matchAll(/<tr data-session="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    handle: m[1] ?? "",
    text: (m[2] ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " "),
  }));
}

async function signIn(browser: FormBrowser, userAgent: string): Promise<void> {
  const headers = { "user-agent": userAgent };
  const form = await browser.get("/login", { headers });
  const csrf = csrfTokenIn(form.body, "/login") ?? "";
  const response = await browser.post("/login", { _csrf: csrf, ...LINUS }, { headers });
  expect(response.status).toBe(303);
}

for (const store of ["database", "redis"] as const) {
  describe(`your devices across marg serve processes (${store} sessions)`, () => {
    let installation: MargInstallation;
    let redis: ScratchRedisPrefix | undefined;
    const servers: RunningProcess[] = [];
    const sites: Record<string, Site> = {};

    beforeAll(async () => {
      installation = createMargInstallation(`devices-${store}`);
      redis = store === "redis" ? createScratchRedisPrefix("devices") : undefined;
      installation.writeSharedEnv({
        APP_KEY: generateAppKey(),
        MARG_APPS: "flow,links",
        MARG_DOMAIN: "marg.test",
        SESSION_DOMAIN: ".marg.test",
        SESSION_ENCRYPT: "true",
        MAIL_MAILER: "log",
        LOG_LEVEL: "warn",
        ...(redis === undefined ? {} : { SESSION_DRIVER: "redis", REDIS_PREFIX: redis.prefix }),
      });
      await installation.run(["migrate"]);
      await installation.run(["db:seed"]);
      for (const app of ["flow", "links"]) {
        const port = await freePort();
        installation.writeAppEnv(app, { APP_URL: `http://${app}.marg.test:${port}` });
        servers.push(await installation.serve(app, port));
        sites[app] = { host: `${app}.marg.test`, port };
      }
    }, 240_000);
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop(5_000)));
      await redis?.clear();
      installation?.remove();
    });

    it("shows a session signed in on flow on links' account page, and ending it there signs it out everywhere", async () => {
      const flow = sites.flow as Site;
      const links = sites.links as Site;
      // Two browsers of one person: a laptop on flow (from 127.0.0.7), a phone on links.
      const laptop = new FormBrowser({ ...flow, localAddress: "127.0.0.7" });
      await signIn(laptop, CHROME_WINDOWS);
      const phone = new FormBrowser({ ...links, localAddress: "127.0.0.8" });
      await signIn(phone, FIREFOX_LINUX);

      const page = await phone.get("/account");
      expect(page.status).toBe(200);
      const listed = rows(page.body);
      const fromFlow = listed.find((row) => row.text.trim().startsWith("Flow"));
      expect(fromFlow?.text).toMatch(/Flow Chrome 131 on Windows 10 127\.0\.0\.7 /);
      expect(listed.find((row) => row.text.includes("this device"))?.text).toMatch(
        /Links this device Firefox 133 on Linux 127\.0\.0\.8 /,
      );

      const action = `/account/sessions/${fromFlow?.handle}/end`;
      const ended = await phone.post(action, { _csrf: csrfTokenIn(page.body, action) ?? "" });
      expect(ended.status).toBe(303);
      expect((await phone.get("/account")).body).toContain("Signed out Chrome 131 on Windows 10.");

      // The laptop is signed out on flow, where it signed in, and on links.
      expect((await laptop.get("/account")).status).toBe(303);
      expect((await laptop.at({ ...links, localAddress: "127.0.0.7" }).get("/account")).status).toBe(303);
      expect((await phone.get("/account")).status).toBe(200);
    });
  });
}
