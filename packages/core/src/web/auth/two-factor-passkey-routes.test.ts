import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defineApp } from "../../app/app-definition.js";
import type { AccountEvent } from "../../auth/account-events.js";
import { startTestApp, type TestApp } from "../../testing/start-test-app.js";
import type { TestClient, TestResponse } from "../../testing/test-client.js";
import { TEST_PASSWORD } from "../../testing/test-installation.js";

// A passkey as the second step after the password, over Fastify's inject on both session
// stores: what a browser that is not a real authenticator (or an attacker who knows the
// password) can send. The ceremony that succeeds runs in Chromium's virtual authenticator
// (test/accounts/two-factor-passkey-chromium.test.ts), which also replays a real assertion.

const PEOPLE = {
  admin: { email: "root@example.com", name: "Root Admin", role: "admin" },
} as const;

const FAKE_ASSERTION = {
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: "e30", authenticatorData: "AAAA", signature: "AAAA" },
  clientExtensionResults: {},
};

for (const redis of [false, true]) {
  describe(`passkey as the second factor (sessions on ${redis ? "Redis" : "the database"})`, () => {
    let t: TestApp<keyof typeof PEOPLE>;
    const events: AccountEvent[] = [];
    let counter = 0;

    beforeAll(async () => {
      t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
        label: `two-factor-passkey-${redis ? "redis" : "db"}`,
        people: PEOPLE,
        redis,
      });
      vi.spyOn(t.platform.accountEvents, "record").mockImplementation(async (event) => {
        events.push(event);
      });
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await t?.close();
    });

    /** A new account with a passkey row (not a real key: no assertion can match it). */
    async function accountWithPasskey(): Promise<{ email: string; id: number; credentialId: string }> {
      counter += 1;
      const email = `pk-${counter}@example.com`;
      const user = await t.platform.users.create({ email, name: `Pk ${counter}`, password: TEST_PASSWORD });
      const credentialId = `cred-${redis ? "r" : "d"}-${counter}`;
      await t.platform.rbacDb
        .insertInto("user_passkeys")
        .values({
          user_id: user.id,
          credential_id: credentialId,
          public_key: "AAAA",
          counter: 0,
          transports: '["internal"]',
          device_type: "singleDevice",
          backed_up: 0,
          name: "Laptop",
          created_at: Date.now(),
          last_used_at: null,
        })
        .execute();
      return { email, id: user.id, credentialId };
    }

    /** The password step in a fresh client: 303 to the two-factor page, and its passkey CSRF token. */
    async function passwordStep(email: string, next?: string): Promise<{ client: TestClient; csrf: string }> {
      const client = t.client();
      const response = await client.submit("/login", "/login", {
        email,
        password: TEST_PASSWORD,
        ...(next === undefined ? {} : { next }),
      });
      expect(response.status).toBe(303);
      expect(response.location).toBe("/login/two-factor");
      const page = await client.get("/login/two-factor");
      const csrf = /data-passkey-second-factor data-csrf="([^"]+)"/.exec(page.body)?.[1];
      if (csrf === undefined) throw new Error("no passkey button on /login/two-factor");
      return { client, csrf };
    }

    const postJson = (client: TestClient, path: string, csrf: string, body: unknown): Promise<TestResponse> =>
      client.send("POST", path, JSON.stringify(body), {
        accept: "application/json",
        "content-type": "application/json",
        "x-csrf-token": csrf,
      });

    it("asks an account with only a passkey for it after the password: no code field, not signed in yet", async () => {
      const { email } = await accountWithPasskey();
      const { client } = await passwordStep(email);
      const page = await client.get("/login/two-factor");
      expect(page.status).toBe(200);
      expect(page.body).toContain("Confirm it is you with one of your passkeys.");
      expect(page.body).toContain('<script src="/assets/marg-passkeys.js" defer></script>');
      expect(page.body).not.toContain('name="code"');
      expect((await client.getJson("/api/v1/me")).status).toBe(401);
      const script = await t.client().get("/assets/marg-passkeys.js");
      expect(script.body).toContain("/login/two-factor/passkey/options");
    });

    it("offers both a code and a passkey to an account with a TOTP app and a passkey", async () => {
      const { email, id } = await accountWithPasskey();
      await t.platform.accounts.twoFactor.begin(id, email);
      await t.platform.rbacDb
        .updateTable("user_two_factor")
        .set({ confirmed_at: Date.now() })
        .where("user_id", "=", id)
        .execute();
      const { client } = await passwordStep(email);
      const page = await client.get("/login/two-factor");
      expect(page.body).toContain("or use one of your passkeys");
      expect(page.body).toContain('name="code"');
      expect(page.body).toContain("data-passkey-second-factor");
    });

    it("hands out options for this account's passkeys only, with the CSRF token, kept in the session", async () => {
      const { email, credentialId } = await accountWithPasskey();
      const { client, csrf } = await passwordStep(email);
      expect((await postJson(client, "/login/two-factor/passkey/options", "wrong", {})).status).toBe(403);
      const options = await postJson(client, "/login/two-factor/passkey/options", csrf, {});
      expect(options.status).toBe(200);
      expect(options.json).toMatchObject({
        rpId: "marg.test",
        allowCredentials: [{ id: credentialId, type: "public-key" }],
      });
    });

    it("refuses a forged assertion with 400 E_AUTH_PASSKEY_INVALID, recorded, and the challenge is spent", async () => {
      const { email, id } = await accountWithPasskey();
      const { client, csrf } = await passwordStep(email);
      await postJson(client, "/login/two-factor/passkey/options", csrf, {});
      const forged = await postJson(client, "/login/two-factor/passkey", csrf, {
        credential: FAKE_ASSERTION,
      });
      expect(forged.status).toBe(400);
      expect(forged.json).toMatchObject({ error: { code: "E_AUTH_PASSKEY_INVALID" } });
      // The same answer again: no challenge is waiting any more.
      const again = await postJson(client, "/login/two-factor/passkey", csrf, { credential: FAKE_ASSERTION });
      expect(again.status).toBe(400);
      expect(again.json).toMatchObject({
        error: { code: "E_AUTH_PASSKEY_INVALID", message: expect.stringMatching(/no challenge/) },
      });
      expect((await client.getJson("/api/v1/me")).status).toBe(401);
      expect(events.filter((e) => e.type === "sign-in.failed").at(-1)).toMatchObject({
        userId: id,
        detail: { step: "two-factor", method: "passkey" },
      });
    });

    it("refuses another account's passkey and junk with 400, never a 500", async () => {
      const other = await accountWithPasskey();
      const { email } = await accountWithPasskey();
      const theirs = { ...FAKE_ASSERTION, id: other.credentialId, rawId: other.credentialId };
      for (const body of [{ credential: theirs }, { credential: null }, {}, { credential: "x" }, [1, 2]]) {
        const { client, csrf } = await passwordStep(email);
        await postJson(client, "/login/two-factor/passkey/options", csrf, {});
        const refused = await postJson(client, "/login/two-factor/passkey", csrf, body);
        expect(refused.status, JSON.stringify(body)).toBe(400);
        expect(refused.json).toMatchObject({ error: { code: "E_AUTH_PASSKEY_INVALID" } });
        expect((await client.getJson("/api/v1/me")).status).toBe(401);
      }
    });

    it("refuses a password-less sign-in's challenge: each ceremony has its own", async () => {
      const { email } = await accountWithPasskey();
      const { client, csrf } = await passwordStep(email);
      await postJson(client, "/login/passkey/options", csrf, {});
      const refused = await postJson(client, "/login/two-factor/passkey", csrf, {
        credential: FAKE_ASSERTION,
      });
      expect(refused.json).toMatchObject({
        error: { code: "E_AUTH_PASSKEY_INVALID", message: expect.stringMatching(/no challenge/) },
      });
    });

    it("answers 401 E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED without a pending sign-in, or after its 5 minutes", async () => {
      const stray = t.client();
      const csrf = /name="_csrf" value="([^"]*)"/.exec((await stray.get("/login")).body)?.[1] ?? "";
      for (const path of ["/login/two-factor/passkey/options", "/login/two-factor/passkey"]) {
        const none = await postJson(stray, path, csrf, { credential: FAKE_ASSERTION });
        expect([none.status, (none.json as { error?: { code?: string } }).error?.code], path).toEqual([
          401,
          "E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED",
        ]);
      }
      const { email } = await accountWithPasskey();
      const { client, csrf: pendingCsrf } = await passwordStep(email);
      const now = Date.now();
      const clock = vi.spyOn(Date, "now").mockReturnValue(now + 5 * 60_000 + 1_000);
      try {
        const late = await postJson(client, "/login/two-factor/passkey/options", pendingCsrf, {});
        expect(late.status).toBe(401);
        expect(late.json).toMatchObject({ error: { code: "E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED" } });
      } finally {
        clock.mockRestore();
      }
    });

    it("refuses options to an account whose only second factor is a TOTP app", async () => {
      counter += 1;
      const email = `totp-${counter}@example.com`;
      const user = await t.platform.users.create({ email, name: "Totp", password: TEST_PASSWORD });
      await t.platform.accounts.twoFactor.begin(user.id, email);
      await t.platform.rbacDb
        .updateTable("user_two_factor")
        .set({ confirmed_at: Date.now() })
        .where("user_id", "=", user.id)
        .execute();
      const client = t.client();
      await client.submit("/login", "/login", { email, password: TEST_PASSWORD });
      const page = await client.get("/login/two-factor");
      expect(page.body).not.toContain("data-passkey-second-factor");
      const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)?.[1] ?? "";
      const options = await postJson(client, "/login/two-factor/passkey/options", csrf, {});
      expect(options.status).toBe(400);
      expect(options.json).toMatchObject({ error: { code: "E_AUTH_PASSKEY_INVALID" } });
    });

    it("throttles like the code: the 6th refused assertion is 429 with Retry-After, and so is the code", async () => {
      const { email } = await accountWithPasskey();
      const { client, csrf } = await passwordStep(email);
      const statuses: number[] = [];
      let last: TestResponse | undefined;
      for (let attempt = 0; attempt < 6; attempt += 1) {
        await postJson(client, "/login/two-factor/passkey/options", csrf, {});
        last = await postJson(client, "/login/two-factor/passkey", csrf, { credential: FAKE_ASSERTION });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
      expect(last?.json).toMatchObject({ error: { code: "E_AUTH_THROTTLED" } });
      expect(Number(last?.headers["retry-after"])).toBeGreaterThan(0);
      const code = await postJson(client, "/login/two-factor", csrf, { code: "123456" });
      expect(code.status).toBe(429);
    });
  });
}
