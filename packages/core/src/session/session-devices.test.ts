import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import { SessionDevices } from "./session-devices.js";
import { type RunningApp, sessionTestConfig, startSessionApp } from "./test-support/session-test-app.js";
import { DRIVERS, type OpenedStore, openStoreDriver } from "./test-support/store-drivers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const driver of DRIVERS) {
  for (const encrypt of [true, false]) {
    describe(`your devices: ${driver}, SESSION_ENCRYPT=${encrypt}`, () => {
      let opened: OpenedStore;
      let app: RunningApp;
      const config = sessionTestConfig({ APP_KEY: generateAppKey(), SESSION_ENCRYPT: String(encrypt) });
      let devices: SessionDevices;

      beforeAll(async () => {
        opened = await openStoreDriver(driver, `sessdev_${driver.replace(/\W/g, "_")}_${encrypt}`);
        app = await startSessionApp({ config, store: opened.store, tuning: { touchIntervalMs: 200 } });
        devices = new SessionDevices(opened.store, config);
      });
      afterAll(async () => {
        await app?.close();
        await opened?.close();
      });

      it("remembers the app, user agent and address of each sign-in, and marks them by handle", async () => {
        const user = `dana-${driver}-${encrypt}`;
        const before = Date.now();
        const laptop = app.browser();
        await laptop.post(`/sign-in/${user}`);
        const [device] = await devices.list(user);
        expect(device).toMatchObject({ app: config.app.id, userAgent: "node", ip: "127.0.0.1" });
        expect(device?.firstSeen).toBeGreaterThanOrEqual(before);
        expect(device?.lastSeen).toBeGreaterThanOrEqual(device?.firstSeen ?? 0);
        expect(device?.handle).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect((await laptop.get("/handle")).body.handle).toBe(device?.handle);
        // The handle is neither the store key nor its log reference.
        const [summary] = await opened.store.listUserSessions(user);
        expect(summary?.storeKey).not.toContain(device?.handle ?? "-");
        const raw = await opened.raw(summary?.storeKey ?? "");
        if (encrypt) expect(raw).not.toContain("127.0.0.1");
        else expect(raw).toContain("127.0.0.1");
      });

      it("ends one session by its handle, on every app at once, leaving the others signed in", async () => {
        const user = `erin-${driver}-${encrypt}`;
        const laptop = app.browser();
        const phone = app.browser();
        await laptop.post(`/sign-in/${user}`);
        await phone.post(`/sign-in/${user}`);
        const phoneHandle = (await phone.get("/handle")).body.handle as string;
        const ended = await devices.end(user, phoneHandle);
        expect(ended?.handle).toBe(phoneHandle);
        expect((await phone.get("/whoami")).body.userId).toBeNull();
        expect((await laptop.get("/whoami")).body.userId).toBe(user);
        expect((await devices.list(user)).map((d) => d.handle)).toEqual([
          (await laptop.get("/handle")).body.handle,
        ]);
        expect(await devices.end(user, phoneHandle)).toBeNull();
      });

      it("ends nothing for a handle of another user's session, or a made-up one", async () => {
        const [owner, intruder] = [`fay-${driver}-${encrypt}`, `gil-${driver}-${encrypt}`];
        const victim = app.browser();
        await victim.post(`/sign-in/${owner}`);
        await app.browser().post(`/sign-in/${intruder}`);
        const handle = (await victim.get("/handle")).body.handle as string;
        expect(await devices.end(intruder, handle)).toBeNull();
        expect(await devices.end(owner, "A".repeat(22))).toBeNull();
        expect((await victim.get("/whoami")).body.userId).toBe(owner);
      });

      it("moves last seen at the touch interval, not on every request", async () => {
        const user = `hal-${driver}-${encrypt}`;
        const browser = app.browser();
        await browser.post(`/sign-in/${user}`);
        const first = (await devices.list(user))[0]?.lastSeen ?? 0;
        await browser.get("/whoami");
        expect((await devices.list(user))[0]?.lastSeen).toBe(first);
        await sleep(300);
        await browser.get("/whoami");
        expect((await devices.list(user))[0]?.lastSeen).toBeGreaterThan(first);
      });
    });
  }
}
