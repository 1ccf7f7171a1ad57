/**
 * Nobody can lock anyone out: wrong passwords from one address make that address
 * wait (longer each time), never the account's owner elsewhere. The client address
 * is what a REAL proxy hop says: nginx (trusted, TRUSTED_PROXIES=127.0.0.1) in front
 * of a `marg serve` process, clients connecting from 127.0.0.2 (attacker) and
 * 127.0.0.3 (owner). An X-Forwarded-For the client writes itself is not believed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormBrowser, Site } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { type NginxProxy, startNginxProxy } from "../support/nginx-proxy.js";
import {
  createSecurityInstallation,
  HOST,
  SEEDED,
  type SecurityInstallation,
} from "./security-installation.js";

const ATTACKER = "127.0.0.2";
const OWNER = "127.0.0.3";
const SPRAYER = "127.0.0.4";

describe("sign-in lockout is per account and address, behind a real nginx", () => {
  let security: SecurityInstallation;
  let nginx: NginxProxy;
  let direct: Site;
  let proxied: Site;

  beforeAll(async () => {
    security = await createSecurityInstallation("lockout");
    ({ site: direct } = await security.serve({
      TRUSTED_PROXIES: "127.0.0.1",
      LOGIN_FREE_FAILURES: "5",
      LOGIN_BACKOFF_BASE: "2",
      RATE_LIMIT_LOGIN_IP: "12/1m",
    }));
    nginx = await startNginxProxy({
      port: await freePort(),
      routes: [{ serverName: HOST, upstreamPort: direct.port }],
    });
    proxied = { host: HOST, port: nginx.port };
  }, 180_000);
  afterAll(async () => {
    await nginx?.stop();
    await security?.stop();
  });

  const signIn = (browser: FormBrowser, password: string, email: string = SEEDED.email) =>
    browser.submit("/login", "/login", { email, password });
  const via = (address: string, site: Site = proxied) => security.browser(site, address);

  it("makes the attacker's address wait after five wrong passwords, even for the right one", async () => {
    for (let i = 1; i <= 5; i++) {
      expect((await signIn(via(ATTACKER), `wrong guess ${i}`)).status, `guess ${i}`).toBe(401);
    }
    const refused = await signIn(via(ATTACKER), SEEDED.password);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(2);
    expect(refused.body).toContain("Too many failed sign-ins from here.");
  });

  // Through nginx every connection reaches the app from 127.0.0.1: only because the app
  // reads the trusted proxy's X-Forwarded-For does it tell the owner from the attacker.
  it("lets the owner sign in from another address meanwhile", async () => {
    const owner = via(OWNER);
    const response = await signIn(owner, SEEDED.password);
    expect(response.status).toBe(303);
    expect((await owner.get("/account")).status).toBe(200);
  });

  it("ignores an X-Forwarded-For the attacker writes, through nginx and straight to the app", async () => {
    // nginx appends the real peer: the app walks back past its trusted proxy to 127.0.0.2.
    const spoofer = via(ATTACKER);
    const form = await spoofer.get("/login", { headers: { "x-forwarded-for": OWNER } });
    const csrf = /name="_csrf" value="([^"]*)"/.exec(form.body)?.[1] ?? "";
    const spoofed = await spoofer.post(
      "/login",
      { _csrf: csrf, email: SEEDED.email, password: SEEDED.password },
      { headers: { "x-forwarded-for": OWNER } },
    );
    expect(spoofed.status).toBe(429);
    // Straight to the app, 127.0.0.2 is no trusted proxy: its header is not read at all.
    const bypass = via(ATTACKER, direct);
    const directForm = await bypass.get("/login", { headers: { "x-forwarded-for": OWNER } });
    const directCsrf = /name="_csrf" value="([^"]*)"/.exec(directForm.body)?.[1] ?? "";
    const straight = await bypass.post(
      "/login",
      { _csrf: directCsrf, email: SEEDED.email, password: SEEDED.password },
      { headers: { "x-forwarded-for": OWNER } },
    );
    expect(straight.status).toBe(429);
  });

  it("doubles the attacker's wait after each further failure", async () => {
    const first = await signIn(via(ATTACKER), "one more guess");
    expect(first.status).toBe(429);
    // Wait the first wait out (2 s), as the Retry-After says.
    await new Promise((resolve) => setTimeout(resolve, Number(first.headers["retry-after"]) * 1000 + 100));
    expect((await signIn(via(ATTACKER), "sixth wrong guess")).status).toBe(401);
    const longer = await signIn(via(ATTACKER), SEEDED.password);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers["retry-after"])).toBeGreaterThanOrEqual(3);
    expect(Number(longer.headers["retry-after"])).toBeLessThanOrEqual(4);
  });

  it("still stops one address spraying many accounts (credential stuffing), and only that address", async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 13; i++) {
      statuses.push((await signIn(via(SPRAYER), "Summer2026!", `person${i}@example.com`)).status);
    }
    expect(statuses.slice(0, 12).every((status) => status === 401)).toBe(true);
    expect(statuses[12]).toBe(429);
    expect((await signIn(via(OWNER), SEEDED.password)).status).toBe(303);
  });
});
