/**
 * Issue 15, finding 8, as an attacker reads it off the wire: real `marg serve flow`
 * and `marg serve admin` processes with APP_ENV=production (migrated and seeded with
 * the demo accounts beforehand, in development). Every page carries a strict
 * Content-Security-Policy, no response names the host and process that answered,
 * and admin's API description is for admins. (HSTS with includeSubDomains is a
 * rendered-proxy matter: packages/deploy/src/real-tools/hsts.test.ts runs the
 * rendered nginx and HAProxy over HTTPS.)
 */
import { generateAppKey } from "@marg/core/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser, type PageResponse, type Site } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation } from "../support/marg-installation.js";
import type { RunningProcess } from "../support/spawn-process.js";

const PASSWORD = "marg-demo-password";

/** A CSP that allows no inline script or style and loads scripts from the app itself only. */
function expectStrictPolicy(response: PageResponse, what: string): void {
  const policy = String(response.headers["content-security-policy"] ?? "");
  expect(policy, what).toContain("default-src 'self'");
  expect(policy, what).toContain("script-src 'self'");
  expect(policy, what).toContain("object-src 'none'");
  expect(policy, what).not.toContain("unsafe-inline");
  expect(policy, what).not.toContain("unsafe-eval");
}

describe("response headers of a production installation (marg serve, over HTTP)", () => {
  const installation = createMargInstallation("security-headers");
  const processes: RunningProcess[] = [];
  let flow: Site;
  let admin: Site;

  async function signedIn(site: Site, email: string): Promise<FormBrowser> {
    const browser = new FormBrowser(site);
    const response = await browser.submit("/login", "/login", { email, password: PASSWORD });
    expect(response.status, `${email} signs in on ${site.host}`).toBe(303);
    return browser;
  }

  beforeAll(async () => {
    const [flowPort, adminPort] = [await freePort(), await freePort()];
    const base = {
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,admin",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      MAIL_MAILER: "log",
      QUEUE_CONNECTION: "sync",
    };
    installation.writeSharedEnv(base);
    installation.writeAppEnv("flow", { APP_URL: `http://flow.marg.test:${flowPort}` });
    installation.writeAppEnv("admin", { APP_URL: `http://admin.marg.test:${adminPort}` });
    await installation.run(["migrate"]);
    // The demo accounts are seeded in development; the servers then run as production.
    await installation.run(["db:seed"]);
    installation.writeSharedEnv({ ...base, APP_ENV: "production" });
    processes.push(await installation.serve("flow", flowPort));
    processes.push(await installation.serve("admin", adminPort));
    flow = { host: "flow.marg.test", port: flowPort };
    admin = { host: "admin.marg.test", port: adminPort };
  }, 180_000);
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop(5_000)));
    installation.remove();
  });

  it("sends a strict Content-Security-Policy on every page, signed in or not, errors included", async () => {
    const guest = new FormBrowser(flow);
    expectStrictPolicy(await guest.get("/login"), "flow /login");
    expectStrictPolicy(await guest.get("/no-such-page"), "flow 404");
    const ada = await signedIn(flow, "ada@marg.localhost");
    for (const page of ["/tasks", "/account"]) {
      const response = await ada.get(page);
      expect(response.status, page).toBe(200);
      expectStrictPolicy(response, `flow ${page} signed in`);
    }
    expectStrictPolicy(await new FormBrowser(admin).get("/login"), "admin /login");
  });

  it("names no host or process in production: no X-Served-By on any answer", async () => {
    const guest = new FormBrowser(flow);
    for (const response of [
      await guest.get("/login"),
      await guest.get("/health"),
      await guest.get("/nope"),
    ]) {
      expect(response.headers["x-served-by"]).toBeUndefined();
      expect(response.headers["x-powered-by"]).toBeUndefined();
    }
  });

  it("shows admin's API description only to admins", async () => {
    const guest = await new FormBrowser(admin).get("/api/docs/json", {
      headers: { accept: "application/json" },
    });
    expect(guest.status).toBe(401);
    expect(guest.body).not.toContain("/api/v1/users");
    const linus = await signedIn(admin, "linus@marg.localhost");
    const member = await linus.get("/api/docs/json", { headers: { accept: "application/json" } });
    expect(member.status).toBe(403);
    expect(member.body).not.toContain("/api/v1/users");
    const ada = await signedIn(admin, "ada@marg.localhost");
    const docs = await ada.get("/api/docs/json", { headers: { accept: "application/json" } });
    expect(docs.status).toBe(200);
    expect(docs.body).toContain("/api/v1/users");
  });
});
