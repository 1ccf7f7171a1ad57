import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RbacService } from "./rbac-service.js";
import {
  createRbacTestEnv,
  QueryCounter,
  RBAC_DRIVERS,
  type RbacTestEnv,
} from "./test-support/rbac-test-env.js";

for (const driver of RBAC_DRIVERS) {
  describe(`RbacService on ${driver.name}`, () => {
    let env: RbacTestEnv;
    let admin: RbacService;
    let ann: number;
    let bob: number;

    beforeAll(async () => {
      env = await createRbacTestEnv(driver, "rbac_service");
      admin = env.newService();
      ann = await env.addUser("ann@example.test");
      bob = await env.addUser("Bob@Example.test");
      for (const name of [
        "tasks.view",
        "tasks.update",
        "tasks.delete",
        "tasks.*",
        "*",
        "*.view",
        "links.view",
      ]) {
        await admin.createPermission(name);
      }
      await admin.createPermission("links.delete", { app: "links" });
      for (const role of ["member", "editor", "super-admin", "admin"]) await admin.createRole(role);
      await admin.grant("member", "tasks.view");
      await admin.grant("editor", "tasks.*");
    });
    afterAll(() => env.destroy());

    beforeEach(async () => {
      for (const user of [ann, bob]) {
        for (const role of ["member", "editor", "super-admin", "admin"]) await admin.unassign(user, role);
        for (const permission of ["tasks.update", "*", "*.view", "links.delete"])
          await admin.revokeFromUser(user, permission);
      }
    });

    it("grants a permission through a role the user is assigned", async () => {
      await admin.assign(ann, "member");
      expect(await admin.can(ann, "tasks.view")).toBe(true);
      expect(await admin.can(ann, "tasks.update")).toBe(false);
      expect(await admin.can(bob, "tasks.view")).toBe(false);
      expect(await admin.hasRole(ann, "member")).toBe(true);
      expect((await admin.explain(ann, "tasks.view")).because).toBe("role 'member' grants 'tasks.view'");
    });

    it("grants a permission directly to one user, outside any role", async () => {
      await admin.grantToUser(bob, "tasks.update");
      expect(await admin.can(bob, "tasks.update")).toBe(true);
      expect(await admin.can(bob, "tasks.view")).toBe(false);
      expect((await admin.explain(bob, "tasks.update")).because).toBe(
        "'tasks.update' is granted to the user directly",
      );
    });

    it("lets wildcards cover every permission under them, and * cover everything", async () => {
      await admin.assign(ann, "editor");
      expect(await admin.can(ann, "tasks.delete")).toBe(true);
      expect(await admin.can(ann, "tasks.reports.export")).toBe(true);
      expect(await admin.can(ann, "links.view")).toBe(false);
      await admin.grantToUser(bob, "*.view");
      expect(await admin.can(bob, "links.view")).toBe(true);
      expect(await admin.can(bob, "links.delete")).toBe(false);
      await admin.grantToUser(bob, "*");
      expect(await admin.can(bob, "links.delete")).toBe(true);
    });

    it("lets the super-admin role pass every check with no grant at all", async () => {
      await admin.assign(bob, "super-admin");
      expect(await admin.can(bob, "anything.whatsoever")).toBe(true);
      expect(await admin.hasRole(bob, "admin")).toBe(true);
      expect(await admin.hasRole(bob, "admin", { exact: true })).toBe(false);
      expect((await admin.explain(bob, "audit.view")).because).toBe("role 'super-admin' passes every check");
    });

    it("does not count a permission scoped to another app in an app's checks", async () => {
      await admin.grantToUser(ann, "links.delete");
      const flow = env.newService({ app: "flow" });
      const links = env.newService({ app: "links" });
      expect(await flow.can(ann, "links.delete")).toBe(false);
      expect(await links.can(ann, "links.delete")).toBe(true);
      expect((await flow.explain(ann, "links.delete")).decision.reason).toBe("other-app");
    });

    it("sees a revoke on another server at once, although that server had the grant cached", async () => {
      const other = env.newService();
      await admin.assign(ann, "member");
      expect(await other.can(ann, "tasks.view")).toBe(true); // now cached on "other"
      await admin.revoke("member", "tasks.view");
      try {
        await expect.poll(() => other.can(ann, "tasks.view"), { timeout: 1000, interval: 25 }).toBe(false);
      } finally {
        await admin.grant("member", "tasks.view");
      }
      await expect.poll(() => other.can(ann, "tasks.view"), { timeout: 1000, interval: 25 }).toBe(true);
    });

    it("answers a check on a warm cache without a single database query", async () => {
      const queries = new QueryCounter();
      const storeQueries = new QueryCounter();
      const server = env.newService({ queries, storeQueries });
      await admin.assign(ann, "member");
      expect(await server.can(ann, "tasks.view")).toBe(true);
      expect(queries.count).toBeGreaterThan(0); // the first check loaded the set
      queries.count = 0;
      storeQueries.count = 0;
      for (let i = 0; i < 50; i += 1) {
        expect(await server.can(ann, "tasks.view")).toBe(true);
        expect(await server.can(ann, "tasks.delete")).toBe(false);
      }
      expect(queries.count).toBe(0);
      expect(storeQueries.count).toBe(0);
    });

    it("reads the database on every check when RBAC_CACHE_ENABLED=false", async () => {
      const queries = new QueryCounter();
      const uncached = env.newService({ cacheEnabled: false, queries });
      await admin.assign(ann, "member");
      expect(await uncached.can(ann, "tasks.view")).toBe(true);
      const afterFirst = queries.count;
      expect(await uncached.can(ann, "tasks.view")).toBe(true);
      expect(queries.count).toBeGreaterThan(afterFirst);
      // A change made behind RBAC's back (no version bump) is seen at once.
      await env.db.deleteFrom("user_roles").where("user_id", "=", ann).execute();
      expect(await uncached.can(ann, "tasks.view")).toBe(false);
    });

    it("serves a cached set for RBAC_CACHE_TTL seconds, then reads the database again", async () => {
      const server = env.newService({ ttlSeconds: 1 });
      await admin.assign(ann, "member");
      expect(await server.can(ann, "tasks.view")).toBe(true);
      // Behind RBAC's back: no version bump, so only the TTL can retire the cached set.
      await env.db.deleteFrom("user_roles").where("user_id", "=", ann).execute();
      expect(await server.can(ann, "tasks.view")).toBe(true);
      await sleep(1100);
      expect(await server.can(ann, "tasks.view")).toBe(false);
    });

    it("finds users by email in any case, or by id, and names the one it cannot find", async () => {
      expect(await admin.resolveUser("bob@example.TEST")).toBe(bob);
      expect(await admin.resolveUser(String(ann))).toBe(ann);
      await expect(admin.resolveUser("nobody@example.test")).rejects.toMatchObject({
        code: "E_RBAC_UNKNOWN_USER",
        message: expect.stringContaining("nobody@example.test"),
      });
      await expect(admin.assign(999_999, "member")).rejects.toMatchObject({ code: "E_RBAC_UNKNOWN_USER" });
    });

    it("lists what exists when a role or permission is unknown, and rejects bad names", async () => {
      await expect(admin.assign(ann, "admn")).rejects.toMatchObject({
        code: "E_RBAC_UNKNOWN_ROLE",
        message: "No role 'admn'; roles are: admin, editor, member, super-admin.",
      });
      await expect(admin.grant("member", "tasks.updte")).rejects.toMatchObject({
        code: "E_RBAC_UNKNOWN_PERMISSION",
        message: expect.stringContaining("Did you mean tasks.update"),
      });
      await expect(admin.grant("member", "Tasks.Update")).rejects.toMatchObject({
        code: "E_RBAC_INVALID_NAME",
      });
      await expect(admin.createRole("member")).rejects.toMatchObject({ code: "E_RBAC_ALREADY_EXISTS" });
      await expect(admin.can(ann, "tasks.*")).rejects.toMatchObject({ code: "E_RBAC_INVALID_NAME" });
    });

    it("says whether a change changed anything, and drops a deleted role's grants everywhere", async () => {
      const other = env.newService();
      await admin.createRole("temp");
      await admin.grant("temp", "links.view");
      expect(await admin.grant("temp", "links.view")).toEqual({ changed: false });
      expect(await admin.assign(bob, "temp")).toEqual({ changed: true });
      expect(await other.can(bob, "links.view")).toBe(true);
      await admin.deleteRole("temp");
      await expect.poll(() => other.can(bob, "links.view"), { timeout: 1000, interval: 25 }).toBe(false);
      expect((await admin.listRoles()).map((role) => role.name)).not.toContain("temp");
    });
  });
}
