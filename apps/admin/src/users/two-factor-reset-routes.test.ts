import type { AccountEvent } from "@marg/core/auth";
import { csrfTokenIn, keepSetCookies, TEST_PASSWORD, type TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";

// An administrator turns off someone's two-factor sign-in (a lost phone) from the user's
// page in admin, over real HTTP on admin's loopback socket (the session signed in with
// the test client's jar): authenticator app, recovery codes and passkeys go, the password
// alone signs in again, and the access-change policy guards it as it guards disabling.

interface HttpAnswer {
  readonly status: number;
  readonly location: string | null;
  readonly body: string;
}

/** A browser over the socket: admin's host name, the client's cookies kept in its jar. */
function overHttp(base: string, client: TestClient) {
  const send = async (method: string, path: string, form?: Record<string, string>): Promise<HttpAnswer> => {
    const cookie = [...client.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(`${base}${path}`, {
      method,
      redirect: "manual",
      headers: {
        host: client.target.host,
        accept: "text/html",
        cookie,
        ...(form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
      },
      ...(form === undefined ? {} : { body: new URLSearchParams(form).toString() }),
    });
    keepSetCookies(client.jar, response.headers.getSetCookie());
    return {
      status: response.status,
      location: response.headers.get("location"),
      body: await response.text(),
    };
  };
  return {
    get: (path: string) => send("GET", path),
    post: (path: string, form: Record<string, string>) => send("POST", path, form),
  };
}

const resetAction = (id: number) => `/users/${id}/reset-two-factor`;

describe("admin resets a user's two-factor sign-in, over HTTP", () => {
  let t: AdminTestApp;
  let grace: ReturnType<typeof overHttp>;
  const events: AccountEvent[] = [];

  beforeAll(async () => {
    t = await startAdminTestApp("admin-two-factor-reset", { listen: true });
    vi.spyOn(t.admin.platform.accountEvents, "record").mockImplementation(async (event) => {
      events.push(event);
    });
    grace = overHttp(t.admin.url ?? "", await t.signIn("grace@marg.localhost"));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await t?.close();
  });

  /** Gives the user an authenticator app (its set-up marked confirmed), 10 recovery codes and one passkey. */
  async function setUpFactors(userId: number, email: string): Promise<void> {
    const { twoFactor } = t.admin.platform.accounts;
    await twoFactor.begin(userId, email);
    await t.admin.platform.rbacDb
      .updateTable("user_two_factor")
      .set({ confirmed_at: Date.now() })
      .where("user_id", "=", userId)
      .execute();
    await twoFactor.regenerateRecoveryCodes(userId);
    await t.admin.platform.rbacDb
      .insertInto("user_passkeys")
      .values({
        user_id: userId,
        credential_id: `reset-${userId}`,
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
  }

  it("shows the factors and a confirmed Reset button; the reset removes them, audited, and the password alone signs in", async () => {
    const id = t.users.member.id;
    await setUpFactors(id, "linus@marg.localhost");
    // Before: the password leads to the two-factor step.
    const before = await t.client("flow").submit("/login", "/login", {
      email: "linus@marg.localhost",
      password: TEST_PASSWORD,
    });
    expect(before.location).toBe("/login/two-factor");

    const page = await grace.get(`/users/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("<dt>Two-factor</dt><dd>Authenticator app and 1 passkey</dd>");
    // The confirmation: the button sits inside a closed <details> with the question.
    expect(page.body).toMatch(
      /<summary class="button danger">Reset two-factor…<\/summary>[\s\S]*?removes Linus[\s\S]*?Make sure it is really them asking\.[\s\S]*?Reset two-factor sign-in/,
    );
    events.length = 0;
    const reset = await grace.post(resetAction(id), { _csrf: csrfTokenIn(page.body, resetAction(id)) ?? "" });
    expect(reset.status).toBe(303);
    expect(reset.location).toBe(`/users/${id}`);
    const after = await grace.get(`/users/${id}`);
    expect(after.body).toContain(
      "the authenticator app, 10 recovery codes, 1 passkey removed): their password alone signs in",
    );
    expect(after.body).toContain("<dt>Two-factor</dt><dd>Off</dd>");
    expect(after.body).not.toContain(resetAction(id));

    const { accounts } = t.admin.platform;
    expect(await accounts.twoFactor.status(id)).toEqual({
      enabled: false,
      pending: false,
      recoveryCodesLeft: 0,
    });
    expect(await accounts.passkeys.count(id)).toBe(0);
    const password = await t.client("flow").submit("/login", "/login", {
      email: "linus@marg.localhost",
      password: TEST_PASSWORD,
    });
    expect(password.location).toBe("/");
    expect(events).toEqual([
      expect.objectContaining({
        type: "two-factor.disabled",
        userId: id,
        actorId: t.users.admin.id,
        app: "admin",
        detail: { by: "admin", passkeysRemoved: 1 },
      }),
    ]);
    const rows = await auditRows(t.db, "user.two-factor-reset");
    expect(rows.at(-1)).toMatchObject({
      actorUserId: t.users.admin.id,
      subject: `user:${id}`,
      before: { authenticatorApp: true, recoveryCodes: 10, passkeys: 1 },
    });
  });

  it("says there was nothing to do for a user without two-factor, and records nothing", async () => {
    const id = t.users.viewer.id;
    const page = await grace.get(`/users/${id}`);
    expect(page.body).toContain("<dt>Two-factor</dt><dd>Off</dd>");
    expect(page.body).not.toContain(resetAction(id));
    events.length = 0;
    const forged = await grace.post(resetAction(id), { _csrf: csrfTokenIn(page.body) ?? "" });
    expect(forged.status).toBe(303);
    expect((await grace.get(`/users/${id}`)).body).toContain("Nothing to do: Vera");
    expect(events).toEqual([]);
  });

  it("refuses without the CSRF token, and to someone who may only view users", async () => {
    const id = t.users.member.id;
    await setUpFactors(id, "linus@marg.localhost");
    expect((await grace.post(resetAction(id), {})).status).toBe(403);
    await t.admin.platform.users.create({ name: "Hal", email: "hal@x.test", password: TEST_PASSWORD });
    const hal = (await t.admin.platform.users.findByEmail("hal@x.test"))?.id ?? 0;
    await t.admin.platform.rbac.grantToUser(hal, "users.view");
    const viewer = overHttp(t.admin.url ?? "", await t.signIn("hal@x.test"));
    const page = await viewer.get(`/users/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(resetAction(id));
    expect((await viewer.post(resetAction(id), { _csrf: csrfTokenIn(page.body) ?? "" })).status).toBe(403);
    expect((await t.admin.platform.accounts.twoFactor.status(id)).enabled).toBe(true);
  });

  it("refuses an admin resetting a super-admin (the access-change policy), audited, and one's own account", async () => {
    const ada = t.users["super-admin"].id;
    await setUpFactors(ada, "ada@marg.localhost");
    const page = await grace.get(`/users/${ada}`);
    expect(page.body).not.toContain(resetAction(ada));
    const refused = await grace.post(resetAction(ada), { _csrf: csrfTokenIn(page.body) ?? "" });
    expect(refused.status).toBe(403);
    expect((await auditRows(t.db, "access.refused")).at(-1)?.after).toMatchObject({
      attempted: { kind: "account", action: "reset-two-factor", userId: ada },
    });
    expect((await t.admin.platform.accounts.twoFactor.status(ada)).enabled).toBe(true);

    const own = t.users.admin.id;
    await setUpFactors(own, "grace@marg.localhost");
    const mine = await grace.get(`/users/${own}`);
    expect(mine.body).not.toContain(resetAction(own));
    const self = await grace.post(resetAction(own), { _csrf: csrfTokenIn(mine.body) ?? "" });
    expect(self.status).toBe(303);
    expect((await grace.get(`/users/${own}`)).body).toContain(
      "You cannot reset your own two-factor sign-in here",
    );
    expect((await t.admin.platform.accounts.twoFactor.status(own)).enabled).toBe(true);
  });

  it("answers 404 for a user that does not exist", async () => {
    const page = await grace.get(`/users/${t.users.member.id}`);
    const gone = await grace.post(resetAction(999_999), { _csrf: csrfTokenIn(page.body) ?? "" });
    expect(gone.status).toBe(404);
  });
});
