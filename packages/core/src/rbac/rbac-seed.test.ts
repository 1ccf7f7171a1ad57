import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignDemoRoles, DEFAULT_PERMISSIONS, seedRbacDefaults } from "./rbac-seed.js";
import type { RbacService } from "./rbac-service.js";
import { createRbacTestEnv, RBAC_DRIVERS, type RbacTestEnv } from "./test-support/rbac-test-env.js";

describe("the default RBAC seed", () => {
  let env: RbacTestEnv;
  let rbac: RbacService;
  const users: Record<string, number> = {};

  beforeAll(async () => {
    env = await createRbacTestEnv(
      RBAC_DRIVERS[1] ?? { name: "sqlite", sql: "sqlite", cache: "database" },
      "rbac_seed",
    );
    rbac = env.newService();
    for (const role of ["super-admin", "admin", "member", "viewer"])
      users[role] = await env.addUser(`${role}@example.test`);
  });
  afterAll(() => env.destroy());

  it("creates the four roles and every default permission, and a second run changes nothing", async () => {
    const first = await seedRbacDefaults(env.repository);
    expect(first).toMatchObject({
      rolesCreated: 4,
      permissionsCreated: DEFAULT_PERMISSIONS.length,
      changed: true,
    });
    expect(await seedRbacDefaults(env.repository)).toEqual({
      rolesCreated: 0,
      permissionsCreated: 0,
      grantsAdded: 0,
      changed: false,
    });
    expect((await rbac.listRoles()).map((role) => role.name)).toEqual([
      "admin",
      "member",
      "super-admin",
      "viewer",
    ]);
  });

  it("gives each demo user a role with sensible powers in flow, links and admin", async () => {
    const ids = (role: string) => [users[role] ?? 0];
    await assignDemoRoles(env.repository, {
      "super-admin": ids("super-admin"),
      admin: ids("admin"),
      member: ids("member"),
      viewer: ids("viewer"),
    });
    await rbac.invalidateCache();
    const can = (role: string, permission: string) => rbac.can(users[role] ?? 0, permission);
    expect(await can("super-admin", "anything.at.all")).toBe(true);
    expect(await can("admin", "roles.manage")).toBe(true);
    expect(await can("admin", "tasks.delete")).toBe(true);
    expect(await can("member", "tasks.update")).toBe(true);
    expect(await can("member", "tasks.delete")).toBe(false);
    expect(await can("member", "users.manage")).toBe(false);
    expect(await can("viewer", "links.view")).toBe(true);
    expect(await can("viewer", "links.create")).toBe(false);
  });

  it("refuses demo roles before the roles exist", async () => {
    await expect(assignDemoRoles(env.repository, { owner: [1] })).rejects.toMatchObject({
      code: "E_RBAC_UNKNOWN_ROLE",
    });
  });
});
