import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { navLabels, switcherApps } from "../../../../test/support/layout-links.js";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";

const ALL_ADMIN_NAV = [
  "Overview",
  "Users",
  "Roles",
  "Queues",
  "Health",
  "Feedback",
  "Audit log",
  "Sign-in clients",
];

describe("admin in the switcher and admin's navigation: shown only to those who may open them", () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-navigation");
  });
  afterAll(async () => t?.close());

  async function newUser(email: string) {
    const user = await t.admin.platform.users.create({ name: "Sam Plain", email, password: TEST_PASSWORD });
    await t.admin.platform.rbac.assign(user.id, "member");
    return user;
  }

  it("leaves Admin out of a member's switcher on flow, while an admin's switcher on the same server has it", async () => {
    const member = await t.signIn("linus@marg.localhost", "flow");
    const admin = await t.signIn("grace@marg.localhost", "flow");
    // Interleaved, so a switcher cached for one visible set is never served to the other.
    for (let round = 0; round < 2; round += 1) {
      expect(switcherApps((await member.get("/account")).body)).toEqual(["Flow"]);
      expect(switcherApps((await admin.get("/account")).body)).toEqual(["Flow", "Admin"]);
    }
  });

  it("gives an admin and a super-admin every admin navigation link", async () => {
    for (const email of ["grace@marg.localhost", "ada@marg.localhost"]) {
      const page = await (await t.signIn(email)).get("/");
      expect(page.status).toBe(200);
      expect(navLabels(page.body), email).toEqual(ALL_ADMIN_NAV);
      expect(switcherApps(page.body), email).toEqual(["Flow", "Admin"]);
    }
  });

  it("shows someone with one admin permission the Overview and that area only", async () => {
    const user = await newUser("hana@marg.localhost");
    await t.admin.platform.rbac.grantToUser(user.id, "health.view");
    const page = await (await t.signIn("hana@marg.localhost")).get("/");
    expect(page.status).toBe(200);
    expect(navLabels(page.body)).toEqual(["Overview", "Health"]);
    expect(switcherApps(page.body)).toEqual(["Flow", "Admin"]);
  });

  it("shows a link and the Admin entry as soon as the permission is granted, and hides them when revoked", async () => {
    const user = await newUser("ravi@marg.localhost");
    const onFlow = await t.signIn("ravi@marg.localhost", "flow");
    const onAdmin = onFlow.at("admin");
    expect(switcherApps((await onFlow.get("/account")).body)).toEqual(["Flow"]);
    expect((await onAdmin.get("/users")).status).toBe(403);

    await t.admin.platform.rbac.grantToUser(user.id, "users.view");
    // Admin made the change: its own cache is retired at once.
    const users = await onAdmin.get("/users");
    expect(users.status).toBe(200);
    expect(navLabels(users.body)).toEqual(["Overview", "Users"]);
    // Flow is another process: it sees the shared RBAC version move within a second.
    await vi.waitFor(
      async () => expect(switcherApps((await onFlow.get("/account")).body)).toEqual(["Flow", "Admin"]),
      { timeout: 3000, interval: 100 },
    );

    await t.admin.platform.rbac.revokeFromUser(user.id, "users.view");
    await vi.waitFor(
      async () => expect(switcherApps((await onFlow.get("/account")).body)).toEqual(["Flow"]),
      { timeout: 3000, interval: 100 },
    );
  });

  it("keeps the full switcher on pages for guests, as before", async () => {
    const login = await t.client("flow").get("/login");
    expect(login.status).toBe(200);
    expect(switcherApps(login.body)).toEqual(["Flow", "Admin"]);
    expect(navLabels(login.body)).toEqual([]);
  });
});
