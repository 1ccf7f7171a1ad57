import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defineApp } from "../../app/app-definition.js";
import type { AccountEvent } from "../../auth/account-events.js";
import { startTestApp, type TestApp } from "../../testing/start-test-app.js";
import type { TestClient, TestResponse } from "../../testing/test-client.js";

// The passkey routes over Fastify's inject, on both session stores: what a browser
// that is not a real authenticator (or an attacker) can send. The ceremonies that
// succeed run in Chromium's virtual authenticator (test/accounts/passkey-journey.test.ts).

type People = "super-admin" | "admin" | "member" | "viewer";

/** A JSON POST with the CSRF token the page handed out, as the page's script sends it. */
function postJson(client: TestClient, path: string, csrf: string, body: unknown): Promise<TestResponse> {
  return client.send("POST", path, JSON.stringify(body), {
    accept: "application/json",
    "content-type": "application/json",
    "x-csrf-token": csrf,
  });
}

/** The CSRF token the sign-in page gives its passkey button. */
async function signInPageCsrf(client: TestClient): Promise<string> {
  const page = await client.get("/login");
  const csrf = /data-passkey-sign-in data-csrf="([^"]+)"/.exec(page.body)?.[1];
  if (csrf === undefined) throw new Error("no passkey button on /login");
  return csrf;
}

const FAKE_ASSERTION = {
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AAAA", signature: "AAAA" },
  clientExtensionResults: {},
};

for (const redis of [false, true]) {
  describe(`passkey routes (sessions on ${redis ? "Redis" : "the database"})`, () => {
    let t: TestApp<People>;
    const events: AccountEvent[] = [];

    beforeAll(async () => {
      t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
        label: `passkey-routes-${redis ? "redis" : "db"}`,
        redis,
        env: { RATE_LIMIT_LOGIN_IP: "4/1m" },
      });
      vi.spyOn(t.platform.accountEvents, "record").mockImplementation(async (event) => {
        events.push(event);
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it("shows the passkeys card on the account page and the hidden passkey button on /login", async () => {
      const grace = await t.signIn("admin");
      const account = await grace.get("/account");
      expect(account.body).toContain('<h2 id="passkeys-h">Passkeys</h2>');
      expect(account.body).toContain("You have no passkeys yet.");
      expect(account.body).toContain('<script src="/assets/marg-passkeys.js" defer></script>');
      const login = await t.client().get("/login");
      expect(login.body).toMatch(/<div data-passkey-sign-in data-csrf="[^"]+" data-next="\/" hidden>/);
      const script = await t.client().get("/assets/marg-passkeys.js");
      expect(script.status).toBe(200);
      expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(script.body).toContain("parseCreationOptionsFromJSON");
    });

    it("hands out creation options for the parent domain, only with the CSRF token", async () => {
      const grace = await t.signIn("admin");
      const me = await grace.getJson("/api/v1/me");
      const csrf = (me.json as { csrfToken: string }).csrfToken;
      expect((await postJson(grace, "/account/passkeys/options", "wrong", {})).status).toBe(403);
      const options = await postJson(grace, "/account/passkeys/options", csrf, {});
      expect(options.status).toBe(200);
      expect(options.json).toMatchObject({
        rp: { id: "marg.test", name: "MARG" },
        user: { name: "grace@marg.localhost", displayName: "Grace Hopper" },
        authenticatorSelection: { residentKey: "required" },
      });
      expect((await postJson(t.client(), "/account/passkeys/options", csrf, {})).status).not.toBe(200);
    });

    it("refuses a forged registration with 400, then refuses it again: the challenge was used", async () => {
      const grace = await t.signIn("admin");
      const csrf = ((await grace.getJson("/api/v1/me")).json as { csrfToken: string }).csrfToken;
      await postJson(grace, "/account/passkeys/options", csrf, {});
      const forged = { name: "Mine", credential: { id: "AAAA", rawId: "AAAA", type: "public-key" } };
      const first = await postJson(grace, "/account/passkeys", csrf, forged);
      expect(first.status).toBe(400);
      expect(first.json).toMatchObject({ error: { code: "E_AUTH_PASSKEY_INVALID" } });
      const again = await postJson(grace, "/account/passkeys", csrf, forged);
      expect(again.status).toBe(400);
      expect(again.json).toMatchObject({
        error: { code: "E_AUTH_PASSKEY_INVALID", message: expect.stringMatching(/no challenge/) },
      });
      expect(await t.platform.accounts.passkeys.list(t.users.admin.id)).toEqual([]);
    });

    it("answers a foreign or junk assertion with 400 JSON, never a 500, and stays signed out", async () => {
      for (const body of [{ credential: FAKE_ASSERTION }, { credential: null }, {}, { credential: "x" }]) {
        const client = t.client();
        const csrf = await signInPageCsrf(client);
        const options = await postJson(client, "/login/passkey/options", csrf, {});
        expect(options.json).toMatchObject({ rpId: "marg.test", allowCredentials: [] });
        const refused = await postJson(client, "/login/passkey", csrf, body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.json).toMatchObject({ error: { code: "E_AUTH_PASSKEY_INVALID" } });
        expect((await client.getJson("/api/v1/me")).status).toBe(401);
      }
      expect(events.filter((e) => e.type === "sign-in.failed").at(-1)).toMatchObject({
        userId: null,
        ip: "127.0.0.1",
        detail: { method: "passkey" },
      });
    });

    it("throttles passkey sign-in per address like the password form: 429 with Retry-After", async () => {
      const statuses: number[] = [];
      let last: TestResponse | undefined;
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const client = t.client();
        const csrf = await signInPageCsrf(client);
        await postJson(client, "/login/passkey/options", csrf, {});
        last = await postJson(client, "/login/passkey", csrf, { credential: FAKE_ASSERTION });
        statuses.push(last.status);
      }
      // The budget (4 a minute here) is shared with the attempts of the test before.
      expect(statuses.at(-1)).toBe(429);
      expect(last?.json).toMatchObject({ error: { code: "E_AUTH_THROTTLED" } });
      expect(Number(last?.headers["retry-after"])).toBeGreaterThan(0);
    });

    it("removes one's own passkey (recorded), and refuses to remove another person's", async () => {
      const linus = await t.signIn("member");
      const ids: number[] = [];
      for (const [user, name] of [
        [t.users.member.id, "Linus's key"],
        [t.users.viewer.id, "Vera's key"],
      ] as const) {
        const inserted = await t.platform.rbacDb
          .insertInto("user_passkeys")
          .values({
            user_id: user,
            credential_id: `cred-${user}`,
            public_key: "AAAA",
            counter: 0,
            transports: '["internal"]',
            device_type: "multiDevice",
            backed_up: 1,
            name,
            created_at: Date.UTC(2026, 11, 1, 9, 30),
            last_used_at: null,
          })
          .executeTakeFirstOrThrow();
        ids.push(Number(inserted.insertId));
      }
      const [mine, veras] = ids as [number, number];
      const page = await linus.get("/account");
      expect(page.body).toContain("<strong>Linus&#39;s key</strong>");
      expect(page.body).toContain('<span class="badge badge-ok">Synced</span>');
      expect(page.body).toContain(
        'Created <time datetime="2026-12-01T09:30:00.000Z">1 Dec 2026, 09:30 UTC</time>',
      );
      expect(page.body).not.toContain("Vera");

      const csrf = ((await linus.getJson("/api/v1/me")).json as { csrfToken: string }).csrfToken;
      const theirs = await linus.post(`/account/passkeys/${veras}/remove`, { _csrf: csrf });
      expect(theirs.status).toBe(303);
      expect((await linus.get("/account")).body).toContain("That passkey is not on your account");
      expect(await t.platform.accounts.passkeys.list(t.users.viewer.id)).toHaveLength(1);
      const removed = await linus.submit("/account", `/account/passkeys/${mine}/remove`, {});
      expect(removed.status).toBe(303);
      expect(await t.platform.accounts.passkeys.list(t.users.member.id)).toEqual([]);
      expect((await linus.get("/account")).body).toContain("Passkey “Linus&#39;s key” removed.");
      expect(events.at(-1)).toMatchObject({
        type: "passkey.removed",
        userId: t.users.member.id,
        detail: { name: "Linus's key" },
      });
    });
  });
}
