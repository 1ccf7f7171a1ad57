import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AccountTestApps,
  startAccountTestApps,
  TEST_PASSWORD,
} from "../../../../../test/support/account-test-apps.js";
import { csrfTokenIn } from "../../../../../test/support/form-browser.js";
import { AuditLog } from "../../audit/audit-log.js";
import type { AuditDatabase } from "../../audit/audit-schema.js";

describe("/join: the page of a sign-up or invitation link", () => {
  let t: AccountTestApps;
  const platform = () => {
    const flow = t.apps.flow?.platform;
    if (flow === undefined) throw new Error("flow did not start");
    return flow;
  };
  const join = (token: string, fields: { name: string; password: string }) =>
    t.browser().submit(`/join?token=${encodeURIComponent(token)}`, "/join", { token, ...fields });

  beforeAll(async () => {
    // Sign-up stays closed: invitations work without it.
    t = await startAccountTestApps({ label: "join-routes", apps: ["flow"] });
    await platform().rbac.createRole("viewer");
  });
  afterAll(async () => {
    await t?.close();
  });

  it("creates an invitee's account with the invitation's roles, signed in, and the link works once", async () => {
    const { token } = await platform().invitations.issue({
      email: "invitee@example.com",
      purpose: "invite",
      roles: ["viewer"],
      invitedBy: 1,
    });
    const opened = await t.browser().get(`/join?token=${encodeURIComponent(token)}`);
    expect(opened.headers["cache-control"]).toBe("no-store");
    expect(opened.headers["referrer-policy"]).toBe("no-referrer");
    const done = await join(token, { name: "Invitee", password: TEST_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.location).toBe("/account");
    const user = await platform().users.findByEmail("invitee@example.com");
    expect(user?.name).toBe("Invitee");
    expect(await platform().rbac.hasRole(user?.id ?? 0, "viewer")).toBe(true);
    // Joining is the account's first sign-in: its last sign-in and the audit trail say so.
    expect(user?.lastLoginAt).toEqual(expect.any(Number));
    const trail = await new AuditLog(platform().rbacDb as unknown as Kysely<AuditDatabase>).list({
      action: "account.sign-in",
      perPage: 10,
    });
    expect(trail.items.map((row) => [row.subjectId, row.after])).toContainEqual([
      String(user?.id),
      { app: "flow", method: "invitation" },
    ]);
    const again = await t.browser().get(`/join?token=${encodeURIComponent(token)}`);
    expect(again.status).toBe(400);
    expect(again.body).toContain("invalid, already used or expired");
  });

  it("re-shows the form with the message beside the password for a weak one, keeping the link usable", async () => {
    const { token } = await platform().invitations.issue({ email: "weak@example.com", purpose: "invite" });
    const weak = await join(token, { name: "Weak", password: "short" });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatch(/id="f-password-error"/);
    expect(weak.body).toMatch(/id="f-name"[^>]*value="Weak"/);
    expect(weak.body).not.toContain("short</");
    expect((await join(token, { name: "Weak", password: TEST_PASSWORD })).status).toBe(303);
  });

  it("refuses a sign-up link while sign-up is closed, creating nobody", async () => {
    const { token } = await platform().invitations.issue({ email: "signup@example.com", purpose: "signup" });
    expect((await t.browser().get(`/join?token=${token}`)).status).toBe(404);
    // A session's CSRF token from another form, so only the closed sign-up stops the post.
    const browser = t.browser();
    const csrf = csrfTokenIn((await browser.get("/login")).body) ?? "";
    const posted = await browser.post("/join", {
      _csrf: csrf,
      token,
      name: "Sneaky",
      password: TEST_PASSWORD,
    });
    expect(posted.status).toBe(404);
    expect(await platform().users.findByEmail("signup@example.com")).toBeNull();
  });

  it("answers 400 for a made-up token, and never shows it back", async () => {
    const response = await t.browser().get("/join?token=made-up-token");
    expect(response.status).toBe(400);
    expect(response.body).not.toContain("made-up-token");
  });
});
