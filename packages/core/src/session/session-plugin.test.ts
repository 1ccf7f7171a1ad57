import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import { SessionDirectory } from "./session-directory.js";
import { CountingStore } from "./test-support/counting-store.js";
import {
  type RunningApp,
  sessionTestConfig,
  startSessionApp,
  type TestAppOptions,
} from "./test-support/session-test-app.js";
import { DRIVERS, type OpenedStore, openStoreDriver } from "./test-support/store-drivers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const COOKIE_SHAPE = /^[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/;

for (const driver of DRIVERS) {
  // Concurrent: most of the time is spent waiting for lifetimes to pass; every test has its own app.
  describe.concurrent(`session plugin over HTTP: ${driver}`, () => {
    let opened: OpenedStore;
    const config = sessionTestConfig({ APP_KEY: generateAppKey() });
    const running: RunningApp[] = [];

    beforeAll(async () => {
      opened = await openStoreDriver(driver, `sessplug_${driver.replace(/\W/g, "_")}`);
    });
    afterAll(async () => {
      await Promise.all(running.map((app) => app.close()));
      await opened?.close();
    });

    async function start(options: Partial<TestAppOptions> = {}): Promise<RunningApp> {
      const app = await startSessionApp({ config, store: opened.store, ...options });
      running.push(app);
      return app;
    }

    it("costs no store access and sets no cookie for a request that never uses the session", async () => {
      const store = new CountingStore(opened.store);
      const app = await start({ store });
      const browser = app.browser();
      await browser.post("/sign-in/alice");
      store.reset();
      const health = await browser.get("/health");
      expect(health.status).toBe(200);
      expect(health.setCookies).toEqual([]);
      expect(store.calls).toEqual({ read: 0, write: 0, destroy: 0, touch: 0 });
    });

    it("sets the cookie on the shared domain, HttpOnly, SameSite=Lax, without Secure over http", async () => {
      const app = await start();
      const browser = app.browser();
      const first = await browser.post("/set/colour", { value: "teal" });
      expect(first.setCookies).toHaveLength(1);
      const [cookie] = first.setCookies;
      expect(cookie?.name).toBe("marg_session");
      expect(cookie?.value).toMatch(COOKIE_SHAPE);
      expect(cookie?.attributes).toMatchObject({
        domain: ".marg.test",
        path: "/",
        httponly: true,
        samesite: "Lax",
      });
      expect(cookie?.attributes.secure).toBeUndefined();
      expect(Number(cookie?.attributes["max-age"])).toBe(config.session.absoluteLifetimeMinutes * 60);
      const second = await browser.get("/get/colour");
      expect(second.body.value).toBe("teal");
      expect(second.setCookies).toEqual([]);
    });

    it("marks the cookie Secure and names it __Secure- when APP_URL is https", async () => {
      const secure = sessionTestConfig({ APP_KEY: generateAppKey(), APP_URL: "https://flow.marg.test" });
      const app = await start({ config: secure });
      const browser = app.browser();
      const response = await browser.post("/set/colour", { value: "teal" });
      expect(response.setCookies[0]?.name).toBe("__Secure-marg_session");
      expect(response.setCookies[0]?.attributes).toMatchObject({
        secure: true,
        httponly: true,
        samesite: "Lax",
      });
      expect((await browser.get("/get/colour")).body.value).toBe("teal");
    });

    it("does not write an unchanged session", async () => {
      const store = new CountingStore(opened.store);
      const app = await start({ store });
      const browser = app.browser();
      await browser.post("/set/colour", { value: "teal" });
      store.reset();
      for (let i = 0; i < 3; i++) expect((await browser.get("/get/colour")).body.value).toBe("teal");
      expect(store.calls).toEqual({ read: 3, write: 0, destroy: 0, touch: 0 });
    });

    it("refreshes a busy session's expiry with a touch, at most once per touch interval, never a write", async () => {
      const store = new CountingStore(opened.store);
      const app = await start({ store, tuning: { touchIntervalMs: 600 } });
      const browser = app.browser();
      await browser.post("/set/colour", { value: "teal" });
      await sleep(700);
      store.reset();
      await browser.get("/get/colour");
      await browser.get("/get/colour");
      expect(store.calls).toMatchObject({ write: 0, touch: 1 });
    });

    it("ends a session left idle past SESSION_LIFETIME, but not one in use", async () => {
      // Margins of several hundred ms either side, so a loaded machine cannot flip the outcome.
      const app = await start({ tuning: { idleMs: 1500, touchIntervalMs: 20 } });
      const busy = app.browser();
      const idle = app.browser();
      await busy.post("/sign-in/alice");
      await idle.post("/sign-in/bob");
      await sleep(800);
      expect((await busy.get("/whoami")).body.userId).toBe("alice");
      await sleep(800);
      expect((await busy.get("/whoami")).body.userId).toBe("alice");
      expect((await idle.get("/whoami")).body.userId).toBeNull();
    });

    it("ends a session at SESSION_ABSOLUTE_LIFETIME however busy it is", async () => {
      const app = await start({ tuning: { idleMs: 1500, absoluteMs: 2400, touchIntervalMs: 20 } });
      const browser = app.browser();
      await browser.post("/sign-in/alice");
      await sleep(800);
      expect((await browser.get("/whoami")).body.userId).toBe("alice");
      await sleep(800);
      expect((await browser.get("/whoami")).body.userId).toBe("alice");
      await sleep(900);
      const after = await browser.get("/whoami");
      expect(after.status).toBe(200);
      expect(after.body.userId).toBeNull();
    });

    it("keeps a flash message for exactly one request that uses the session", async () => {
      const app = await start();
      const browser = app.browser();
      await browser.post("/flash/status", { value: "Saved." });
      await browser.get("/health");
      expect((await browser.get("/flashed")).body.flashed).toEqual({ status: "Saved." });
      expect((await browser.get("/flashed")).body.flashed).toEqual({});
    });

    it("issues masked CSRF tokens bound to the session, which die when the id is regenerated", async () => {
      const app = await start();
      const browser = app.browser();
      const first = (await browser.get("/csrf")).body.token as string;
      const second = (await browser.get("/csrf")).body.token as string;
      expect(first).not.toBe(second);
      expect((await browser.post("/csrf", { token: first })).status).toBe(200);
      expect((await browser.post("/csrf", { token: second })).status).toBe(200);
      const stranger = app.browser();
      await stranger.get("/csrf");
      expect((await stranger.post("/csrf", { token: first })).status).toBe(403);
      expect((await browser.post("/csrf", {})).status).toBe(403);
      await browser.post("/sign-in/alice");
      expect((await browser.post("/csrf", { token: first })).status).toBe(403);
    });

    it("lists a user's sessions and signs them out everywhere at once", async () => {
      const app = await start();
      const user = `carol-${driver}`;
      const laptop = app.browser();
      const phone = app.browser();
      await laptop.post(`/sign-in/${user}`);
      await phone.post(`/sign-in/${user}`);
      const directory = new SessionDirectory(opened.store);
      expect(await directory.listForUser(user)).toHaveLength(2);
      expect(await directory.destroyAllForUser(user)).toBe(2);
      expect((await laptop.get("/whoami")).body.userId).toBeNull();
      expect((await phone.get("/whoami")).body.userId).toBeNull();
    });
  });
}
