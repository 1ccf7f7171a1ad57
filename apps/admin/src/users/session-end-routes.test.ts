import type { AccountEvent } from "@marg/core/auth";
import { csrfTokenIn, TEST_PASSWORD, type TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";

const SAFARI_MAC =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

/** The handles of the End forms on a user's page. */
function endActions(page: string, userId: number): string[] {
  const pattern = new RegExp(`action="(/users/${userId}/sessions/[A-Za-z0-9_-]{22}/end)"`, "g");
  return [...page.matchAll(pattern)].map((m) => m[1] ?? "");
}

for (const redis of [false, true]) {
  describe(`admin ends a user's session (${redis ? "Redis" : "database"} sessions)`, () => {
    let t: AdminTestApp;
    let grace: TestClient;
    const events: AccountEvent[] = [];

    beforeAll(async () => {
      t = await startAdminTestApp(`admin-sessions-${redis ? "redis" : "db"}`, { redis });
      vi.spyOn(t.admin.platform.accountEvents, "record").mockImplementation(async (event) => {
        events.push(event);
      });
      grace = await t.signIn("grace@marg.localhost");
    });
    afterAll(async () => t?.close());

    async function signInOnFlow(email: string): Promise<TestClient> {
      const client = t.client("flow");
      const csrf = csrfTokenIn((await client.get("/login")).body, "/login") ?? "";
      const headers = { "user-agent": SAFARI_MAC };
      expect(
        (await client.post("/login", { _csrf: csrf, email, password: TEST_PASSWORD }, { headers })).status,
      ).toBe(303);
      return client;
    }

    it("lists the user's sessions with app, browser and system, IP and times", async () => {
      await signInOnFlow("linus@marg.localhost");
      const page = await grace.get(`/users/${t.users.member.id}`);
      expect(page.status).toBe(200);
      const text = page.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
      expect(text).toMatch(/Flow Safari 17 on macOS Catalina 127\.0\.0\.1 \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(endActions(page.body, t.users.member.id)).toHaveLength(1);
    });

    it("ends one session: signed out on every app, audited, recorded with the admin as actor", async () => {
      const linus = await signInOnFlow("linus@marg.localhost");
      const id = t.users.member.id;
      const page = await grace.get(`/users/${id}`);
      const before = endActions(page.body, id);
      const mine = (await linus.get("/account")).body.match(
        /<tr data-session="([^"]+)">[\s\S]*?this device/,
      )?.[1];
      const action = before.find((a) => a.includes(`/${mine}/`)) ?? "";
      events.length = 0;
      const response = await grace.post(action, { _csrf: csrfTokenIn(page.body, action) ?? "" });
      expect(response.status).toBe(303);
      expect(response.location).toBe(`/users/${id}`);
      const after = await grace.get(`/users/${id}`);
      expect(after.body).toContain("Ended the session of Safari 17 on macOS");
      expect(endActions(after.body, id)).toHaveLength(before.length - 1);
      expect((await linus.get("/account")).status).toBe(303);
      expect((await linus.at("admin").get("/")).location).toMatch(/^\/login/);
      expect(events).toEqual([
        expect.objectContaining({
          type: "session.ended",
          userId: id,
          actorId: t.users.admin.id,
          app: "admin",
        }),
      ]);
      const rows = await auditRows(t.db, "user.session-end");
      expect(rows.at(-1)).toMatchObject({ actorUserId: t.users.admin.id, subject: `user:${id}` });
      expect(rows.at(-1)?.before).toMatchObject({ app: "flow", browser: "Safari 17" });
    });

    it("says so when the session has already ended", async () => {
      await signInOnFlow("vera@marg.localhost");
      const id = t.users.viewer.id;
      const page = await grace.get(`/users/${id}`);
      const [action = ""] = endActions(page.body, id);
      const csrf = csrfTokenIn(page.body, action) ?? "";
      await grace.post(action, { _csrf: csrf });
      const again = await grace.post(action, { _csrf: csrf });
      expect(again.status).toBe(303);
      expect((await grace.get(`/users/${id}`)).body).toContain("That session has already ended.");
    });

    it("needs users.manage: a user who may only view sees no End button and is refused", async () => {
      const hal = await t.admin.platform.users.create({
        name: "Hal",
        email: `hal-${redis}@x.test`,
        password: TEST_PASSWORD,
      });
      await t.admin.platform.rbac.grantToUser(hal.id, "users.view");
      await signInOnFlow("linus@marg.localhost");
      const viewer = await t.signIn(`hal-${redis}@x.test`);
      const id = t.users.member.id;
      const page = await viewer.get(`/users/${id}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain("Safari 17");
      expect(endActions(page.body, id)).toEqual([]);
      const [action = ""] = endActions((await grace.get(`/users/${id}`)).body, id);
      const csrf = csrfTokenIn(page.body) ?? "";
      expect((await viewer.post(action, { _csrf: csrf })).status).toBe(403);
      expect(endActions((await grace.get(`/users/${id}`)).body, id).length).toBeGreaterThan(0);
    });

    it("refuses an admin ending a super-admin's session (the access-change policy), audited", async () => {
      await signInOnFlow("ada@marg.localhost");
      const id = t.users["super-admin"].id;
      const page = await grace.get(`/users/${id}`);
      // No button is offered; a forged post is refused all the same.
      expect(endActions(page.body, id)).toEqual([]);
      const ada = await t.signIn("ada@marg.localhost");
      const [action = ""] = endActions((await ada.get(`/users/${id}`)).body, id);
      const refused = await grace.post(action, { _csrf: csrfTokenIn(page.body) ?? "" });
      expect(refused.status).toBe(403);
      expect((await auditRows(t.db, "access.refused")).at(-1)?.after).toMatchObject({
        attempted: { kind: "account", action: "end-session", userId: id },
      });
    });
  });
}
