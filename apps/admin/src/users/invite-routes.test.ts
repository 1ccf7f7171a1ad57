import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstLinkIn } from "../../../../test/support/mail-box.js";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";
import { queuedMails } from "../test-support/queue-fixtures.js";

describe("admin: invite by email", () => {
  let t: AdminTestApp;
  let grace: TestClient;

  beforeAll(async () => {
    // REGISTRATION_ENABLED is not set: invitations work with sign-up closed.
    t = await startAdminTestApp("admin-invite");
    grace = await t.signIn("grace@marg.localhost");
  });
  afterAll(async () => t?.close());

  const mailTo = async (to: string) => (await queuedMails(t.db)).find((mail) => mail.to === to);

  it("offers the roles grace may hand out: those her own permissions cover, never super-admin", async () => {
    expect((await grace.get("/users")).body).toContain('href="/users/invite"');
    const form = await grace.get("/users/invite");
    expect(form.status).toBe(200);
    for (const role of ["admin", "member", "viewer"]) expect(form.body).toContain(`value="${role}"`);
    expect(form.body).not.toContain('value="super-admin"');
  });

  it("mails a single-use link, audit-logs the invitation without its token, and creates no account yet", async () => {
    const response = await grace.submit("/users/invite", "/users/invite", {
      email: "invitee@example.com",
      roles: "viewer",
    });
    expect(response.status).toBe(303);
    expect(response.location).toBe("/users");
    expect(await t.admin.platform.users.findByEmail("invitee@example.com")).toBeNull();
    const mail = await mailTo("invitee@example.com");
    expect(mail?.subject).toBe("You are invited to MARG");
    expect(mail?.text).toContain("Grace Hopper invited you");
    const link = firstLinkIn(mail?.text ?? "");
    expect(link?.pathname).toBe("/join");
    const token = link?.searchParams.get("token") ?? "";
    const [row] = await auditRows(t.db, "user.invite");
    expect(row).toMatchObject({
      actorUserId: t.users.admin.id,
      after: { email: "invitee@example.com", roles: ["viewer"] },
    });
    expect(JSON.stringify(row)).not.toContain(token);

    // The invitee opens the link on flow (sign-up closed there too) and chooses a name and password.
    const invitee = t.client("flow");
    const page = `/join?token=${encodeURIComponent(token)}`;
    const done = await invitee.submit(page, "/join", { token, name: "New Invitee", password: TEST_PASSWORD });
    expect(done.status).toBe(303);
    const user = await t.admin.platform.users.findByEmail("invitee@example.com");
    expect(user?.name).toBe("New Invitee");
    expect(await t.admin.platform.rbac.hasRole(user?.id ?? 0, "viewer", { exact: true })).toBe(true);
    expect((await t.client("flow").get(page)).status).toBe(400);
  });

  it("refuses a role grace may not hand out (super-admin) with 403 beside the roles, mailing nothing", async () => {
    const response = await grace.submit("/users/invite", "/users/invite", {
      email: "climber@example.com",
      roles: "super-admin",
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain('id="f-roles-error"');
    expect(await mailTo("climber@example.com")).toBeUndefined();
  });

  it("says so beside the address when it already has an account, and for a malformed one", async () => {
    const taken = await grace.submit("/users/invite", "/users/invite", { email: "linus@marg.localhost" });
    expect(taken.status).toBe(409);
    expect(taken.body).toContain('id="f-email-error"');
    const malformed = await grace.submit("/users/invite", "/users/invite", { email: "nope" });
    expect(malformed.status).toBe(422);
  });

  it("is for users.manage only: a member gets 403", async () => {
    const linus = await t.signIn("linus@marg.localhost");
    expect((await linus.get("/users/invite")).status).toBe(403);
  });
});
