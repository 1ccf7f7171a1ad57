import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import type { FormBrowser } from "../../../../../test/support/form-browser.js";

// Its own installation: the per-address limit (20 failures a minute from 127.0.0.1)
// must not leak into other suites' sign-ins.
describe("sign-in throttling over HTTP (after 5 failures of one account from one address, that address waits)", () => {
  let t: AccountTestApps;

  beforeAll(async () => {
    t = await startAccountTestApps({ label: "sign-in-throttling" });
    await t.createUser({ name: "Guessed", email: "guessed@example.com" });
    await t.createUser({ name: "Neighbour", email: "neighbour@example.com" });
  });
  afterAll(async () => {
    await t?.close();
  });

  const attempt = (browser: FormBrowser, email: string, password: string) =>
    browser.submit("/login", "/login", { email, password });

  it("answers the 6th bad password from one address with 429 and Retry-After, then refuses the right password too", async () => {
    const browser = t.browser();
    for (let i = 1; i <= 5; i++) {
      const response = await attempt(browser, "guessed@example.com", `wrong-guess-${i}`);
      expect(response.status, `attempt ${i}`).toBe(401);
    }
    const sixth = await attempt(browser, "guessed@example.com", "wrong-guess-6");
    expect(sixth.status).toBe(429);
    const retryAfter = Number(sixth.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(sixth.body).toContain("Too many failed sign-ins from here.");

    const right = await attempt(browser, "guessed@example.com", TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect((await browser.get("/account")).status).toBe(303);
  });

  it("holds the wait on every app, since the counter is shared (links refuses the same address too)", async () => {
    const onLinks = t.browser("links");
    const response = await attempt(onLinks, "guessed@example.com", TEST_PASSWORD);
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBeDefined();
  });

  it("answers JSON clients with 429 E_AUTH_THROTTLED and Retry-After", async () => {
    const browser = t.browser();
    const token = /name="_csrf" value="([^"]*)"/.exec((await browser.get("/login")).body)?.[1] ?? "";
    const response = await browser.post(
      "/login",
      { email: "guessed@example.com", password: TEST_PASSWORD },
      { headers: { accept: "application/json", "x-csrf-token": token } },
    );
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBeDefined();
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_AUTH_THROTTLED" } });
  });

  it("leaves other accounts alone: a neighbour still signs in", async () => {
    const browser = t.browser();
    const response = await attempt(browser, "neighbour@example.com", TEST_PASSWORD);
    expect(response.status).toBe(303);
    expect((await browser.get("/account")).status).toBe(200);
  });
});
