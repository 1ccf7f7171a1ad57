import { generate, generateSecret } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineApp } from "../../app/app-definition.js";
import { resetSecondFactors } from "../../auth/second-factors.js";
import { startTestApp, type TestApp } from "../../testing/start-test-app.js";
import { csrfTokenIn, type TestClient } from "../../testing/test-client.js";
import { TEST_PASSWORD } from "../../testing/test-installation.js";

const PEOPLE = {
  admin: { email: "root@example.com", name: "Root Admin", role: "admin" },
  member: { email: "member@example.com", name: "Mem Ber", role: "member" },
} as const;

/** The code an authenticator app shows `offsetMs` from now. */
const codeAt = (secret: string, offsetMs = 0) =>
  generate({ secret, epoch: Math.floor((Date.now() + offsetMs) / 1000) });

/** The key as the set-up page shows it, for typing into an app (groups of four). */
function secretIn(page: string): string {
  const shown = /<code id="two-factor-secret">([A-Z2-7 ]+)<\/code>/.exec(page)?.[1];
  if (shown === undefined) throw new Error("no secret on the set-up page");
  return shown.replace(/ /g, "");
}

const recoveryCodesIn = (page: string) =>
  [...page.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1] ?? "");

for (const store of ["database", "redis"] as const) {
  describe(`two-factor sign-in over HTTP (sessions on ${store})`, () => {
    let t: TestApp<keyof typeof PEOPLE>;
    let counter = 0;

    beforeAll(async () => {
      t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
        label: `two-factor-${store}`,
        people: PEOPLE,
        redis: store === "redis",
        alongside: [defineApp({ id: "links", title: "Links" })],
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    /** A new account, signed in with its password alone. */
    async function newAccount(): Promise<{ email: string; client: TestClient }> {
      counter += 1;
      const email = `person-${counter}@example.com`;
      await t.platform.users.create({ email, name: `Person ${counter}`, password: TEST_PASSWORD });
      return { email, client: await t.signIn(email) };
    }

    /** Sets two-factor up from the account page with a real code; returns the key and the recovery codes. */
    async function setUp(client: TestClient): Promise<{ secret: string; recoveryCodes: string[] }> {
      const page = await client.get("/account/two-factor");
      expect(page.status).toBe(200);
      const secret = secretIn(page.body);
      const done = await client.submit("/account/two-factor", "/account/two-factor/confirm", {
        code: await codeAt(secret),
      });
      expect(done.status).toBe(200);
      const recoveryCodes = recoveryCodesIn(done.body);
      return { secret, recoveryCodes };
    }

    /** The password step: a fresh client, 303 to the code page, not signed in yet. */
    async function passwordStep(email: string, next?: string): Promise<TestClient> {
      const client = t.client();
      const response = await client.submit("/login", "/login", {
        email,
        password: TEST_PASSWORD,
        ...(next === undefined ? {} : { next }),
      });
      expect(response.status).toBe(303);
      expect(response.location).toBe("/login/two-factor");
      expect((await client.get("/account")).status).toBe(303);
      return client;
    }

    const sendCode = (client: TestClient, code: string) =>
      client.submit("/login/two-factor", "/login/two-factor", { code });

    it("sets up with a QR code (SVG, no style attribute) and one code, then shows ten recovery codes once", async () => {
      const { email, client } = await newAccount();
      const card = await client.get("/account");
      expect(card.body).toContain("Two-factor sign-in");
      expect(card.body).toContain("<strong>Off.</strong>");
      const page = await client.get("/account/two-factor");
      expect(page.body).toMatch(/<div class="qr-code"><svg [^>]*viewBox/);
      expect(page.body).not.toMatch(/<svg[\s\S]*style=/);
      expect(page.headers["content-security-policy"]).toBeDefined();
      // The page reloaded shows the same key: the app may already hold it.
      expect(secretIn((await client.get("/account/two-factor")).body)).toBe(secretIn(page.body));
      const wrong = await client.submit("/account/two-factor", "/account/two-factor/confirm", {
        code: "000000",
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain("That code is not right");
      const { recoveryCodes } = await setUp(client);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      const after = await client.get("/account");
      expect(after.body).toContain("<strong>On.</strong>");
      expect(after.body).toContain("10 recovery codes left");
      for (const code of recoveryCodes) expect(after.body).not.toContain(code);
      expect(
        (await t.platform.accounts.twoFactor.status((await t.platform.users.findByEmail(email))?.id ?? 0))
          .enabled,
      ).toBe(true);
    });

    it("asks for the code after the password, refuses wrong, reused and out-of-window codes, then signs in to `next`", async () => {
      const { email, client } = await newAccount();
      const { secret } = await setUp(client);
      const confirmingCode = await codeAt(secret);
      const browser = await passwordStep(email, "/account");
      const form = await browser.get("/login/two-factor");
      expect(form.status).toBe(200);
      expect(form.body).toContain('autocomplete="one-time-code"');

      const wrong = await sendCode(browser, await codeAt(generateSecret()));
      expect(wrong.status).toBe(401);
      expect(wrong.body).toContain("That code is not right, or was already used");
      const reused = await sendCode(browser, confirmingCode);
      expect(reused.status).toBe(401);
      const late = await sendCode(browser, await codeAt(secret, -120_000));
      expect(late.status).toBe(401);
      const early = await sendCode(browser, await codeAt(secret, 120_000));
      expect(early.status).toBe(401);
      expect((await browser.get("/account")).status).toBe(303);

      const before = browser.jar.get("marg_session");
      const right = await sendCode(browser, await codeAt(secret, 30_000));
      expect(right.status).toBe(303);
      expect(right.location).toBe("/account");
      expect(browser.jar.get("marg_session")).not.toBe(before);
      expect((await browser.get("/account")).status).toBe(200);
      // Signed in on every app, like a password sign-in.
      expect((await browser.at("links").getJson("/api/v1/me")).json).toMatchObject({ user: { email } });
    });

    it("takes a recovery code once, in any case and spacing", async () => {
      const { email, client } = await newAccount();
      const { recoveryCodes } = await setUp(client);
      const [first = ""] = recoveryCodes;
      const browser = await passwordStep(email);
      const used = await sendCode(browser, first.toUpperCase().replace("-", " "));
      expect(used.status).toBe(303);
      const home = await browser.get("/account");
      expect(home.body).toContain("You used a recovery code; 9 left.");
      expect(home.body).toContain("9 recovery codes left");
      const again = await passwordStep(email);
      expect((await sendCode(again, first)).status).toBe(401);
    });

    it("makes new recovery codes: the old ones stop working", async () => {
      const { email, client } = await newAccount();
      const { recoveryCodes } = await setUp(client);
      const page = await client.submit("/account", "/account/two-factor/recovery-codes", {});
      expect(page.status).toBe(200);
      const fresh = recoveryCodesIn(page.body);
      expect(fresh).toHaveLength(10);
      const browser = await passwordStep(email);
      expect((await sendCode(browser, recoveryCodes[0] ?? "")).status).toBe(401);
      expect((await sendCode(browser, fresh[0] ?? "")).status).toBe(303);
    });

    it("answers the 6th wrong code of one account from one address with 429 and Retry-After, even the right code", async () => {
      const { email, client } = await newAccount();
      const { secret } = await setUp(client);
      const browser = await passwordStep(email);
      // Junk is a wrong code like any other: 401, never a 500.
      for (const junk of ["000000", "", "x".repeat(5000), "' OR 1=1 --", "12345"]) {
        expect((await sendCode(browser, junk)).status, junk.slice(0, 20)).toBe(401);
      }
      const sixth = await sendCode(browser, "000000");
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect((await sendCode(browser, await codeAt(secret, 30_000))).status).toBe(429);
      expect((await browser.get("/account")).status).toBe(303);
    });

    it("speaks JSON: 401 E_AUTH_TWO_FACTOR_REQUIRED after the password, then the code signs in", async () => {
      const { email, client } = await newAccount();
      const { secret } = await setUp(client);
      const api = t.client();
      const token = /name="_csrf" value="([^"]*)"/.exec((await api.get("/login")).body)?.[1] ?? "";
      const headers = {
        accept: "application/json",
        "content-type": "application/json",
        "x-csrf-token": token,
      };
      const password = await api.send(
        "POST",
        "/login",
        JSON.stringify({ email, password: TEST_PASSWORD }),
        headers,
      );
      expect(password.status).toBe(401);
      expect(password.json).toMatchObject({ error: { code: "E_AUTH_TWO_FACTOR_REQUIRED" } });
      const wrong = await api.send("POST", "/login/two-factor", JSON.stringify({ code: "000000" }), headers);
      expect(wrong.status).toBe(401);
      expect(wrong.json).toMatchObject({ error: { code: "E_AUTH_TWO_FACTOR_CODE_INVALID" } });
      const right = await api.send(
        "POST",
        "/login/two-factor",
        JSON.stringify({ code: await codeAt(secret, 30_000) }),
        headers,
      );
      expect(right.status).toBe(200);
      expect(right.json).toMatchObject({ user: { email } });
      const stray = t.client();
      const strayToken = /name="_csrf" value="([^"]*)"/.exec((await stray.get("/login")).body)?.[1] ?? "";
      const none = await stray.send("POST", "/login/two-factor", JSON.stringify({ code: "123456" }), {
        ...headers,
        "x-csrf-token": strayToken,
      });
      expect(none.status).toBe(401);
      expect(none.json).toMatchObject({ error: { code: "E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED" } });
    });

    it("sends a JSON client its recovery codes no-store, at set-up and when made anew", async () => {
      const { client } = await newAccount();
      const secret = secretIn((await client.get("/account/two-factor")).body);
      const csrf = csrfTokenIn((await client.get("/account/two-factor")).body, "/account/two-factor/confirm");
      const headers = {
        accept: "application/json",
        "content-type": "application/json",
        "x-csrf-token": csrf ?? "",
      };
      const confirmed = await client.send(
        "POST",
        "/account/two-factor/confirm",
        JSON.stringify({ code: await codeAt(secret) }),
        headers,
      );
      expect(confirmed.status).toBe(200);
      expect((confirmed.json as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
      expect(confirmed.headers["cache-control"]).toBe("no-store");
      const fresh = await client.send("POST", "/account/two-factor/recovery-codes", "{}", headers);
      expect(fresh.status).toBe(200);
      expect((fresh.json as { recoveryCodes: string[] }).recoveryCodes).toHaveLength(10);
      expect(fresh.headers["cache-control"]).toBe("no-store");
    });

    it("drops the code step when two-factor is reset meanwhile (lost phone): sign in again, no wrong code counted", async () => {
      const { email, client } = await newAccount();
      await setUp(client);
      const user = await t.platform.users.findByEmail(email);
      const browser = await passwordStep(email, "/tasks");
      const api = await passwordStep(email);
      // An administrator resets it while the person looks for the phone.
      await resetSecondFactors(t.platform.accounts, user?.id ?? 0);
      const page = await browser.get("/login/two-factor");
      expect(page.status).toBe(303);
      expect(page.location).toBe("/login");
      expect((await browser.get("/login")).body).toContain(
        "Two-factor sign-in was turned off for this account",
      );
      const token = csrfTokenIn((await api.get("/login")).body, "/login") ?? "";
      const code = await api.send("POST", "/login/two-factor", JSON.stringify({ code: "123456" }), {
        accept: "application/json",
        "content-type": "application/json",
        "x-csrf-token": token,
      });
      expect(code.status).toBe(401);
      expect(code.json).toMatchObject({ error: { code: "E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED" } });
      // The password alone now signs in, as the reset promises.
      const again = await t.client().submit("/login", "/login", { email, password: TEST_PASSWORD });
      expect(again.status).toBe(303);
      expect(again.location).toBe("/");
    });

    it("moves the account's last sign-in only when the code is passed, not at the password", async () => {
      const { email, client } = await newAccount();
      const { secret } = await setUp(client);
      const lastSignIn = async () => (await t.platform.users.findByEmail(email))?.lastLoginAt ?? null;
      const before = await lastSignIn();
      const browser = await passwordStep(email);
      expect(await lastSignIn()).toBe(before);
      expect((await sendCode(browser, await codeAt(secret, 30_000))).status).toBe(303);
      expect(await lastSignIn()).toBeGreaterThan(before ?? 0);
    });

    it("sends a code page without a password step back to /login", async () => {
      const response = await t.client().get("/login/two-factor");
      expect(response.status).toBe(303);
      expect(response.location).toBe("/login");
    });

    it("turns off only with the password; then sign-in asks for the password alone", async () => {
      const { email, client } = await newAccount();
      await setUp(client);
      const refused = await client.submit("/account", "/account/two-factor/disable", {
        two_factor_password: "not it",
      });
      expect(refused.status).toBe(303);
      expect((await client.get("/account")).body).toContain("that is not your password");
      const off = await client.submit("/account", "/account/two-factor/disable", {
        two_factor_password: TEST_PASSWORD,
      });
      expect(off.status).toBe(303);
      const page = await client.get("/account");
      expect(page.body).toContain("Two-factor sign-in is off.");
      expect(page.body).toContain("<strong>Off.</strong>");
      const again = await t.client().submit("/login", "/login", { email, password: TEST_PASSWORD });
      expect(again.status).toBe(303);
      expect(again.location).toBe("/");
    });

    it("limits tries at the turn-off password like password changes (429 after 5)", async () => {
      const { client } = await newAccount();
      await setUp(client);
      for (let i = 1; i <= 5; i++) {
        const response = await client.submit("/account", "/account/two-factor/disable", {
          two_factor_password: `guess ${i}`,
        });
        expect(response.status, `try ${i}`).toBe(303);
      }
      const sixth = await client.submit("/account", "/account/two-factor/disable", {
        two_factor_password: TEST_PASSWORD,
      });
      expect(sixth.status).toBe(429);
      expect((await client.get("/account")).body).toContain("<strong>On.</strong>");
    });
  });
}

for (const store of ["database", "redis"] as const) {
  describe(`AUTH_REQUIRE_2FA=roles:admin (sessions on ${store})`, () => {
    let t: TestApp<keyof typeof PEOPLE>;

    beforeAll(async () => {
      t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
        label: `two-factor-required-${store}`,
        people: PEOPLE,
        redis: store === "redis",
        env: { AUTH_REQUIRE_2FA: "roles:admin" },
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    it("sends an admin without two-factor to the set-up page from any page; the API answers 403", async () => {
      const admin = await t.signIn("admin");
      for (const page of ["/account", "/", "/some/app/page"]) {
        const response = await admin.get(page);
        expect(response.status, page).toBe(303);
        expect(response.location).toBe("/account/two-factor");
      }
      const api = await admin.getJson("/api/v1/me");
      expect(api.status).toBe(403);
      expect(api.json).toMatchObject({ error: { code: "E_AUTH_TWO_FACTOR_SETUP_REQUIRED" } });
      const setup = await admin.get("/account/two-factor");
      expect(setup.status).toBe(200);
      expect(setup.body).toContain("Your role requires two-factor sign-in");
      expect((await admin.get("/assets/marg.css")).status).toBe(200);

      const secret = secretIn(setup.body);
      const done = await admin.submit("/account/two-factor", "/account/two-factor/confirm", {
        code: await codeAt(secret),
      });
      expect(done.status).toBe(200);
      // The last page set-up interrupted is where "Done" leads (an OpenID sign-in's interaction, say).
      expect(done.body).toContain('<a href="/some/app/page">Done, continue</a>');
      expect((await admin.get("/account")).status).toBe(200);
      expect((await admin.getJson("/api/v1/me")).status).toBe(200);
    });

    it("offers a passkey instead on the set-up page, and lets its ceremony through the requirement", async () => {
      await t.platform.accounts.twoFactor.disable(t.users.admin.id);
      const admin = await t.signIn("admin");
      const setup = await admin.get("/account/two-factor");
      expect(setup.body).toContain("Rather use a passkey? Add one below: it counts as two-factor sign-in.");
      expect(setup.body).toContain("data-passkey-register");
      const csrf = csrfTokenIn(setup.body, "/account/passkeys") ?? "";
      const options = await admin.send("POST", "/account/passkeys/options", "{}", {
        accept: "application/json",
        "content-type": "application/json",
        "x-csrf-token": csrf,
      });
      expect(options.status).toBe(200);
      expect(options.json).toMatchObject({ rp: { id: "marg.test" } });
      // Everything else of the account stays behind the set-up.
      expect((await admin.getJson("/api/v1/me")).status).toBe(403);
    });

    it("counts a passkey as two-factor: an admin with one and no authenticator app is let through", async () => {
      await t.platform.accounts.twoFactor.disable(t.users.admin.id);
      // Signed in with the password alone (no second factor yet): sent to set-up.
      const admin = await t.signIn("admin");
      expect((await admin.get("/account")).location).toBe("/account/two-factor");
      await t.platform.rbacDb
        .insertInto("user_passkeys")
        .values({
          user_id: t.users.admin.id,
          credential_id: `required-${store}`,
          public_key: "AAAA",
          counter: 0,
          transports: "[]",
          device_type: "multiDevice",
          backed_up: 1,
          name: "Phone",
          created_at: Date.now(),
          last_used_at: null,
        })
        .execute();
      try {
        const account = await admin.get("/account");
        expect(account.status).toBe(200);
        expect(account.body).toContain("<strong>On, with your passkey.</strong>");
        expect((await admin.getJson("/api/v1/me")).status).toBe(200);
      } finally {
        await t.platform.accounts.passkeys.removeAllFor(t.users.admin.id);
      }
    });

    it("leaves a member alone", async () => {
      const member = await t.signIn("member");
      expect((await member.get("/account")).status).toBe(200);
    });

    it("lets an admin without two-factor sign out", async () => {
      await t.platform.accounts.twoFactor.disable(t.users.admin.id);
      const admin = t.client();
      await admin.submit("/login", "/login", { email: PEOPLE.admin.email, password: TEST_PASSWORD });
      const out = await admin.submit("/account/two-factor", "/logout", {});
      expect(out.status).toBe(303);
      expect(out.location).toBe("/login");
    });
  });
}
