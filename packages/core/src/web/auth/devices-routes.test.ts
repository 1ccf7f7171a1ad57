import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defineApp } from "../../app/app-definition.js";
import type { AccountEvent } from "../../auth/account-events.js";
import {
  csrfTokenIn,
  startTestApp,
  TEST_PASSWORD,
  type TestApp,
  type TestClient,
} from "../../testing/index.js";

const CHROME_WINDOWS =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

/** Each session row of the devices card: handle, and the row's text. */
function rows(page: string): { handle: string; text: string }[] {
  return [...page.matchAll(/<tr data-session="([^"]+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    handle: m[1] ?? "",
    text: (m[2] ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " "),
  }));
}

for (const redis of [false, true]) {
  describe(`your devices on the account page (${redis ? "Redis" : "database"} sessions)`, () => {
    let t: TestApp<"super-admin" | "admin" | "member" | "viewer">;
    const events: AccountEvent[] = [];

    beforeAll(async () => {
      t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
        label: `devices-${redis ? "redis" : "db"}`,
        redis,
        alongside: [defineApp({ id: "links", title: "Links" })],
      });
      for (const app of Object.values(t.apps)) {
        vi.spyOn(app.platform.accountEvents, "record").mockImplementation(async (event) => {
          events.push(event);
        });
      }
    });
    afterAll(async () => t?.close());

    /** Signs `email` in on `appId` from a browser sending `userAgent`. */
    async function signIn(email: string, appId: string, userAgent: string): Promise<TestClient> {
      const client = t.client(appId);
      const csrf = csrfTokenIn((await client.get("/login")).body, "/login") ?? "";
      const headers = { "user-agent": userAgent };
      const response = await client.post(
        "/login",
        { _csrf: csrf, email, password: TEST_PASSWORD },
        { headers },
      );
      expect(response.status).toBe(303);
      return client;
    }

    it("lists every session on every app: app, browser and system, IP, times, and this device", async () => {
      const here = await signIn("linus@marg.localhost", "flow", CHROME_WINDOWS);
      await signIn("linus@marg.localhost", "links", FIREFOX_LINUX);
      const page = await here.get("/account");
      expect(page.status).toBe(200);
      expect(page.body).toContain("Your devices");
      expect(page.body).toContain("You are signed in on 2 devices.");
      expect(page.body).not.toContain("Signed-in devices");
      const listed = rows(page.body);
      expect(listed).toHaveLength(2);
      const mine = listed.find((row) => row.text.includes("this device"));
      expect(mine?.text).toMatch(
        /Flow this device Chrome 131 on Windows 10 127\.0\.0\.1 \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
      );
      const other = listed.find((row) => row !== mine);
      expect(other?.text).toMatch(/Links Firefox 133 on Linux 127\.0\.0\.1/);
      expect(page.body).toContain(`action="/account/sessions/${other?.handle}/end"`);
      expect(page.body).toContain('action="/logout-everywhere"');
      // The raw user agent is there for whoever hovers; nothing else of the session is shown.
      expect(page.body).toContain(`title="${FIREFOX_LINUX}"`);
    });

    it("ends another session, which is then signed out on every app, and records it", async () => {
      const here = await signIn("vera@marg.localhost", "flow", CHROME_WINDOWS);
      const phone = await signIn("vera@marg.localhost", "links", FIREFOX_LINUX);
      const page = await here.get("/account");
      const other = rows(page.body).find((row) => !row.text.includes("this device"));
      const action = `/account/sessions/${other?.handle}/end`;
      events.length = 0;
      const ended = await here.post(action, { _csrf: csrfTokenIn(page.body, action) ?? "" });
      expect(ended.status).toBe(303);
      expect(ended.location).toBe("/account");
      const after = await here.get("/account");
      expect(after.body).toContain("Signed out Firefox 133 on Linux.");
      expect(after.body).toContain("You are signed in on 1 device.");
      expect((await phone.get("/account")).status).toBe(303);
      expect((await phone.at("flow").get("/account")).status).toBe(303);
      expect(events).toEqual([
        expect.objectContaining({
          type: "session.ended",
          userId: t.users.viewer.id,
          app: "flow",
          ip: "127.0.0.1",
        }),
      ]);
      expect(events[0]?.actorId).toBeUndefined();
    });

    it("refuses to end a session without the form's CSRF token", async () => {
      const here = await signIn("linus@marg.localhost", "flow", CHROME_WINDOWS);
      const phone = await signIn("linus@marg.localhost", "links", FIREFOX_LINUX);
      const handle = rows((await phone.get("/account")).body).find((r) =>
        r.text.includes("this device"),
      )?.handle;
      const refused = await here.post(`/account/sessions/${handle}/end`, {});
      expect(refused.status).toBe(403);
      expect((await phone.get("/account")).status).toBe(200);
    });

    it("never ends another user's session, whatever handle is posted", async () => {
      const victim = await signIn("grace@marg.localhost", "links", FIREFOX_LINUX);
      const handle = rows((await victim.get("/account")).body).find((r) =>
        r.text.includes("this device"),
      )?.handle;
      const intruder = await signIn("linus@marg.localhost", "flow", CHROME_WINDOWS);
      const page = await intruder.get("/account");
      const csrf = csrfTokenIn(page.body, "/logout-everywhere") ?? "";
      const refused = await intruder.post(`/account/sessions/${handle}/end`, { _csrf: csrf });
      expect(refused.status).toBe(303);
      expect((await intruder.get("/account")).body).toContain("That session has already ended.");
      const json = await intruder.sendJson("POST", `/account/sessions/${handle}/end`);
      expect(json.status).toBe(404);
      expect(json.json).toMatchObject({ error: { code: "E_SESSION_NOT_FOUND" } });
      const odd = await intruder.sendJson("POST", "/account/sessions/..%2F..%2Fx/end");
      expect(odd.status).toBe(404);
      expect((await victim.get("/account")).status).toBe(200);
    });

    it("ending this device signs it out here", async () => {
      const here = await signIn("grace@marg.localhost", "flow", CHROME_WINDOWS);
      const page = await here.get("/account");
      const mine = rows(page.body).find((row) => row.text.includes("this device"));
      const action = `/account/sessions/${mine?.handle}/end`;
      const ended = await here.post(action, { _csrf: csrfTokenIn(page.body, action) ?? "" });
      expect(ended.status).toBe(303);
      expect(ended.location).toBe("/login");
      expect((await here.get("/account")).status).toBe(303);
    });
  });
}
