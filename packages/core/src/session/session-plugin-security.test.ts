import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import { storeKeyOf } from "./session-id.js";
import { SessionKeyRing } from "./session-keys.js";
import { CountingStore } from "./test-support/counting-store.js";
import {
  type RunningApp,
  sessionTestConfig,
  startSessionApp,
  type TestAppOptions,
} from "./test-support/session-test-app.js";
import { DRIVERS, type OpenedStore, openDownStore, openStoreDriver } from "./test-support/store-drivers.js";
import type { TestBrowser } from "./test-support/test-browser.js";

const KEY = generateAppKey();
const OLD_KEY = generateAppKey();

function kidOf(appKey: string): string {
  const ring = new SessionKeyRing(Buffer.from(appKey.slice("base64:".length), "base64"));
  return ring.payload[0]?.kid ?? "";
}

function cookieOf(browser: TestBrowser): string {
  return browser.cookies.get("marg_session") ?? "";
}

function storeKeyFor(browser: TestBrowser): string {
  return storeKeyOf(cookieOf(browser).split(".")[0] ?? "");
}

for (const driver of DRIVERS) {
  describe.concurrent(`session security over HTTP: ${driver}`, () => {
    let opened: OpenedStore;
    const config = sessionTestConfig({ APP_KEY: KEY });
    const running: RunningApp[] = [];

    beforeAll(async () => {
      opened = await openStoreDriver(driver, `sesssec_${driver.replace(/\W/g, "_")}`);
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

    it("refuses an altered or forged cookie before any store lookup: signed out, cleared, no 500", async () => {
      const store = new CountingStore(opened.store);
      const app = await start({ store });
      const browser = app.browser();
      await browser.post("/sign-in/alice");
      const [id = "", mac = ""] = cookieOf(browser).split(".");
      const flipped = `${id.slice(0, -1)}${id.endsWith("A") ? "B" : "A"}`;
      const forgeries = [
        `${flipped}.${mac}`,
        `${id}.${mac.slice(0, -2)}`,
        `${id}.${mac}=`,
        "not-a-cookie",
        "",
      ];
      for (const forged of forgeries) {
        store.reset();
        browser.cookies.set("marg_session", forged);
        const response = await browser.get("/whoami");
        expect(response.status, forged).toBe(200);
        expect(response.body.userId, forged).toBeNull();
        expect(store.calls.read, forged).toBe(0);
      }
      browser.cookies.set("marg_session", `${flipped}.${mac}`);
      const cleared = await browser.get("/whoami");
      expect(cleared.setCookies[0]?.attributes["max-age"]).toBe("0");
    });

    it("runs signed out, and writes no cookie, when a sibling subdomain tossed a second session cookie beside the real one", async () => {
      const app = await start();
      const victim = app.browser();
      await victim.post("/sign-in/alice");
      const attacker = app.browser();
      await attacker.post("/sign-in/mallory");
      for (const order of [
        [cookieOf(attacker), cookieOf(victim)],
        [cookieOf(victim), cookieOf(attacker)],
        ["forged.value", cookieOf(victim)],
      ]) {
        const response = await fetch(`${app.url}/whoami`, {
          headers: { cookie: order.map((value) => `marg_session=${value}`).join("; ") },
        });
        expect(((await response.json()) as { userId: string | null }).userId).toBeNull();
        expect(response.headers.get("set-cookie")).toBeNull();
      }
      // Each alone is still its own session: nothing was destroyed.
      expect((await victim.get("/whoami")).body.userId).toBe("alice");
    });

    it("regenerates the id at sign-in: the old cookie is dead, the data carries over (no fixation)", async () => {
      const app = await start();
      const browser = app.browser();
      await browser.post("/set/cart", { value: ["book"] });
      const before = cookieOf(browser);
      const signIn = await browser.post("/sign-in/alice");
      const after = cookieOf(browser);
      expect(signIn.setCookies).toHaveLength(1);
      expect(after).not.toBe(before);
      expect((await browser.get("/whoami")).body.userId).toBe("alice");
      expect((await browser.get("/get/cart")).body.value).toEqual(["book"]);
      const fixated = app.browser();
      fixated.cookies.set("marg_session", before);
      expect((await fixated.get("/whoami")).body.userId).toBeNull();
      expect((await fixated.get("/get/cart")).body.value).toBeNull();
      expect(await opened.raw(storeKeyOf(before.split(".")[0] ?? ""))).toBe("");
    });

    it("regenerates on a privilege change: new id, same user and data, the old id dead", async () => {
      const app = await start();
      const browser = app.browser();
      await browser.post("/sign-in/alice");
      await browser.post("/set/cart", { value: ["book"] });
      const before = cookieOf(browser);
      expect((await browser.post("/regenerate")).setCookies).toHaveLength(1);
      expect(cookieOf(browser)).not.toBe(before);
      expect((await browser.get("/whoami")).body.userId).toBe("alice");
      expect((await browser.get("/get/cart")).body.value).toEqual(["book"]);
      const old = app.browser();
      old.cookies.set("marg_session", before);
      expect((await old.get("/whoami")).body.userId).toBeNull();
    });

    it("signs out on every app when one app destroys the session (the store is shared)", async () => {
      const flow = await start();
      const links = await start({
        config: sessionTestConfig({ APP_KEY: KEY, APP_URL: "http://links.marg.test" }),
      });
      const onFlow = flow.browser();
      const onLinks = onFlow.at(links.url);
      await onFlow.post("/sign-in/alice");
      const signedIn = cookieOf(onFlow);
      expect((await onLinks.get("/whoami")).body.userId).toBe("alice");
      const signOut = await onLinks.post("/sign-out");
      expect(signOut.setCookies[0]?.attributes["max-age"]).toBe("0");
      // Another tab (or a copied cookie) still holding the old value gets nothing on flow either.
      const otherTab = flow.browser();
      otherTab.cookies.set("marg_session", signedIn);
      expect((await otherTab.get("/whoami")).body.userId).toBeNull();
    });

    it("keeps both changes when two concurrent requests change different keys", async () => {
      let arrived = 0;
      let release = () => {};
      const bothLoaded = new Promise<void>((resolve) => {
        release = resolve;
      });
      const app = await start({
        gate: async () => {
          arrived++;
          if (arrived === 2) release();
          await bothLoaded;
        },
      });
      const browser = app.browser();
      await browser.post("/set/base", { value: 0 });
      await Promise.all([browser.post("/slow/a", { value: 1 }), browser.post("/slow/b", { value: 2 })]);
      expect((await browser.get("/all")).body.values).toEqual({ base: 0, a: 1, b: 2 });
    });

    it("stores nothing readable without the key: no value, no id, no cookie", async () => {
      const app = await start();
      const browser = app.browser();
      await browser.post("/sign-in/alice");
      await browser.post("/set/secret", { value: "tangerine-42" });
      const raw = await opened.raw(storeKeyFor(browser));
      expect(raw).not.toBe("");
      expect(raw).not.toContain("tangerine");
      expect(raw).not.toContain(cookieOf(browser).split(".")[0]);
      expect(raw).toContain(`e1.${kidOf(KEY)}.`);

      const plain = await start({ config: sessionTestConfig({ APP_KEY: KEY, SESSION_ENCRYPT: "false" }) });
      const visitor = plain.browser();
      await visitor.post("/set/secret", { value: "tangerine-42" });
      expect(await opened.raw(storeKeyFor(visitor))).toContain("tangerine-42");
    });

    it("reads a session written under a previous key and re-encrypts it with the current one", async () => {
      const before = await start({ config: sessionTestConfig({ APP_KEY: OLD_KEY }) });
      const rotated = await start({
        config: sessionTestConfig({ APP_KEY: KEY, APP_PREVIOUS_KEYS: OLD_KEY }),
      });
      const newOnly = await start();
      const browser = before.browser();
      await browser.post("/sign-in/alice");
      await browser.post("/set/secret", { value: "tangerine-42" });
      const oldCookie = cookieOf(browser);
      expect(await opened.raw(storeKeyFor(browser))).toContain(`e1.${kidOf(OLD_KEY)}.`);

      const stale = newOnly.browser();
      stale.cookies.set("marg_session", oldCookie);
      const refused = await stale.get("/whoami");
      expect([refused.status, refused.body.userId]).toEqual([200, null]);

      const onRotated = browser.at(rotated.url);
      const read = await onRotated.get("/get/secret");
      expect(read.body.value).toBe("tangerine-42");
      expect(read.setCookies).toHaveLength(1);
      expect(cookieOf(onRotated)).not.toBe(oldCookie);
      const raw = await opened.raw(storeKeyFor(browser));
      expect(raw).toContain(`e1.${kidOf(KEY)}.`);
      expect(raw).not.toContain(`e1.${kidOf(OLD_KEY)}.`);
      expect((await browser.at(newOnly.url).get("/whoami")).body.userId).toBe("alice");
    });

    it("treats stored data that fails decryption as signed out, not as a 500", async () => {
      const app = await start();
      const browser = app.browser();
      await browser.post("/sign-in/alice");
      await opened.tamper(storeKeyFor(browser));
      const response = await browser.get("/whoami");
      expect([response.status, response.body.userId]).toEqual([200, null]);
      expect(app.logs.some((line) => line.includes("E_SESSION_UNREADABLE"))).toBe(true);
    });

    it("runs signed out when the store is down: no 500, cookie left alone, sign-in answers 503", async () => {
      const down = await openDownStore(driver);
      const app = await start();
      const outage = await start({ store: down.store });
      try {
        const browser = app.browser();
        await browser.post("/sign-in/alice");
        const cookie = cookieOf(browser);
        const during = browser.at(outage.url);
        const whoami = await during.get("/whoami");
        expect([whoami.status, whoami.body.userId, whoami.setCookies]).toEqual([200, null, []]);
        expect((await during.post("/set/x", { value: 1 })).status).toBe(200);
        expect((await during.post("/sign-in/bob")).status).toBe(503);
        expect(cookieOf(browser)).toBe(cookie);
        expect(outage.logs.some((line) => line.includes("E_SESSION_STORE_UNAVAILABLE"))).toBe(true);
        expect((await browser.get("/whoami")).body.userId).toBe("alice");
      } finally {
        await down.close();
      }
    });

    it("never writes a session id or cookie value to the log", async () => {
      const app = await start({ tuning: { touchIntervalMs: 1 } });
      const browser = app.browser();
      const secrets: string[] = [];
      const remember = () => {
        const cookie = cookieOf(browser);
        if (cookie !== "") secrets.push(cookie, cookie.split(".")[0] ?? "", cookie.split(".")[1] ?? "");
      };
      await browser.post("/set/x", { value: 1 });
      remember();
      await browser.post("/sign-in/alice");
      remember();
      await browser.get("/csrf");
      await browser.get("/whoami");
      await browser.post("/sign-out");
      const [id = "", mac = ""] = (secrets[0] ?? "").split(".");
      browser.cookies.set("marg_session", `${id}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`);
      await browser.get("/whoami");
      browser.cookies.set("marg_session", secrets[3] ?? "");
      await browser.get("/whoami");
      expect(app.logs.some((line) => line.includes("E_SESSION_TAMPERED"))).toBe(true);
      expect(app.logs.some((line) => line.includes("session unknown or expired"))).toBe(true);
      const everything = app.logs.join("\n");
      for (const secret of secrets.filter((value) => value.length > 20)) {
        expect(everything).not.toContain(secret);
      }
    });
  });
}
