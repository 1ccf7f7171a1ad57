import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccessChange, AccessChangePolicy, type AccessPolicyTables } from "./access-change-policy.js";
import { assignDemoRoles, seedRbacDefaults } from "./rbac-seed.js";
import type { RbacService } from "./rbac-service.js";
import { createRbacTestEnv, RBAC_DRIVERS, type RbacTestEnv, retype } from "./test-support/rbac-test-env.js";

// The policy reads SQL only: one run per database (the cache driver does not matter).
const DRIVERS = RBAC_DRIVERS.filter((driver) => driver.cache === "database");

for (const driver of DRIVERS) {
  describe(`AccessChangePolicy on ${driver.sql}: no one grants more than they hold`, () => {
    let env: RbacTestEnv;
    let rbac: RbacService;
    let policy: AccessChangePolicy;
    let db: Kysely<AccessPolicyTables>;
    const ids = { ada: 0, grace: 0, linus: 0, ken: 0, old: 0 };

    /** The refusal's code, or "allowed". */
    const verdict = async (actor: number, change: AccessChange): Promise<string> => {
      try {
        await policy.check(actor, change);
        return "allowed";
      } catch (error) {
        return (error as { code?: string }).code ?? String(error);
      }
    };

    beforeAll(async () => {
      env = await createRbacTestEnv(driver, "access_policy");
      db = retype<AccessPolicyTables>(env.db);
      policy = new AccessChangePolicy(db);
      rbac = env.newService();
      await seedRbacDefaults(env.repository);
      ids.ada = await env.addUser("ada@example.test");
      ids.grace = await env.addUser("grace@example.test");
      ids.linus = await env.addUser("linus@example.test");
      ids.ken = await env.addUser("ken@example.test");
      ids.old = await env.addUser("old@example.test", { disabled: true });
      await assignDemoRoles(env.repository, {
        "super-admin": [ids.ada, ids.old],
        admin: [ids.grace],
        member: [ids.linus],
      });
      await rbac.createPermission("audit.export", { app: "admin" });
      await rbac.createRole("auditor");
      await rbac.grant("auditor", "audit.view");
      await rbac.grant("auditor", "audit.export");
      await rbac.createRole("linker");
      await rbac.grant("linker", "links.*");
    });
    afterAll(() => env.destroy());

    describe("an admin (grace) cannot hand out more than she holds", () => {
      it("refuses her the super-admin role, for herself or anyone", async () => {
        const self = { kind: "assign-role", role: "super-admin", userId: ids.grace } as const;
        expect(await verdict(ids.grace, self)).toBe("E_RBAC_SUPER_ADMIN_REQUIRED");
        expect(await verdict(ids.grace, { ...self, userId: ids.linus })).toBe("E_RBAC_SUPER_ADMIN_REQUIRED");
        expect(await verdict(ids.grace, { kind: "assign-role", role: "super-admin" })).toBe(
          "E_RBAC_SUPER_ADMIN_REQUIRED",
        );
      });

      it("judges the name as it will be stored: padding does not sneak super-admin past it", async () => {
        expect(
          await verdict(ids.grace, { kind: "assign-role", role: " super-admin ", userId: ids.grace }),
        ).toBe("E_RBAC_SUPER_ADMIN_REQUIRED");
        expect(await verdict(ids.grace, { kind: "grant-to-role", role: "member", permission: " * " })).toBe(
          "E_RBAC_GRANT_EXCEEDS_HOLDER",
        );
      });

      it("refuses to grant * (to a role or a user), since she holds only narrower patterns", async () => {
        expect(await verdict(ids.grace, { kind: "grant-to-role", role: "member", permission: "*" })).toBe(
          "E_RBAC_GRANT_EXCEEDS_HOLDER",
        );
        expect(await verdict(ids.grace, { kind: "grant-to-user", userId: ids.linus, permission: "*" })).toBe(
          "E_RBAC_GRANT_EXCEEDS_HOLDER",
        );
      });

      it("names what she lacks in the refusal", async () => {
        await expect(
          policy.check(ids.grace, { kind: "assign-role", role: "auditor", userId: ids.linus }),
        ).rejects.toMatchObject({
          status: 403,
          details: { missing: ["audit.export"] },
          message: expect.stringContaining("'audit.export'"),
        });
      });

      it("lets her grant what her wildcards cover, the wildcard itself included", async () => {
        for (const permission of ["links.delete", "links.*", "tasks.update", "roles.manage"]) {
          expect(await verdict(ids.grace, { kind: "grant-to-role", role: "member", permission })).toBe(
            "allowed",
          );
        }
        expect(await verdict(ids.grace, { kind: "assign-role", role: "linker", userId: ids.linus })).toBe(
          "allowed",
        );
        expect(await verdict(ids.grace, { kind: "assign-role", role: "admin", userId: ids.linus })).toBe(
          "allowed",
        );
      });

      it("refuses revoking, unassigning or deleting what she does not hold (you cannot strip what you cannot give)", async () => {
        expect(
          await verdict(ids.grace, { kind: "revoke-from-role", role: "auditor", permission: "audit.export" }),
        ).toBe("E_RBAC_GRANT_EXCEEDS_HOLDER");
        expect(await verdict(ids.grace, { kind: "unassign-role", role: "auditor", userId: ids.linus })).toBe(
          "E_RBAC_GRANT_EXCEEDS_HOLDER",
        );
        expect(await verdict(ids.grace, { kind: "delete-role", role: "auditor" })).toBe(
          "E_RBAC_GRANT_EXCEEDS_HOLDER",
        );
        expect(
          await verdict(ids.grace, { kind: "revoke-from-role", role: "auditor", permission: "audit.view" }),
        ).toBe("allowed");
      });

      it("refuses every change to a super-admin's account or access, disabled ones included", async () => {
        for (const action of ["disable", "enable", "edit", "password", "delete"] as const) {
          expect(await verdict(ids.grace, { kind: "account", action, userId: ids.ada }), action).toBe(
            "E_RBAC_SUPER_ADMIN_REQUIRED",
          );
        }
        expect(await verdict(ids.grace, { kind: "account", action: "enable", userId: ids.old })).toBe(
          "E_RBAC_SUPER_ADMIN_REQUIRED",
        );
        expect(await verdict(ids.grace, { kind: "assign-role", role: "member", userId: ids.ada })).toBe(
          "E_RBAC_SUPER_ADMIN_REQUIRED",
        );
        expect(
          await verdict(ids.grace, { kind: "revoke-from-user", permission: "tasks.view", userId: ids.ada }),
        ).toBe("E_RBAC_SUPER_ADMIN_REQUIRED");
        expect(await verdict(ids.grace, { kind: "account", action: "disable", userId: ids.linus })).toBe(
          "allowed",
        );
      });

      it("does not count a grant scoped to one app towards a permission that counts everywhere", async () => {
        await rbac.createPermission("links.share");
        expect(
          await verdict(ids.grace, { kind: "grant-to-role", role: "member", permission: "links.share" }),
        ).toBe("E_RBAC_GRANT_EXCEEDS_HOLDER");
      });

      it("judges from the database, not a cached set: a grant made a moment ago counts", async () => {
        await rbac.grantToUser(ids.grace, "audit.export");
        expect(await verdict(ids.grace, { kind: "assign-role", role: "auditor", userId: ids.linus })).toBe(
          "allowed",
        );
        await rbac.revokeFromUser(ids.grace, "audit.export");
      });
    });

    describe("a super-admin (ada) may do all of it, but never leave nobody in charge", () => {
      it("assigns super-admin, grants *, and changes other super-admins", async () => {
        expect(await verdict(ids.ada, { kind: "assign-role", role: "super-admin", userId: ids.grace })).toBe(
          "allowed",
        );
        expect(await verdict(ids.ada, { kind: "grant-to-role", role: "member", permission: "*" })).toBe(
          "allowed",
        );
        expect(await verdict(ids.ada, { kind: "account", action: "enable", userId: ids.old })).toBe(
          "allowed",
        );
      });

      it("refuses to disable, delete or demote the last active super-admin (a disabled one does not count)", async () => {
        for (const action of ["disable", "delete"] as const) {
          expect(await verdict(ids.ada, { kind: "account", action, userId: ids.ada }), action).toBe(
            "E_RBAC_LAST_SUPER_ADMIN",
          );
        }
        expect(await verdict(ids.ada, { kind: "unassign-role", role: "super-admin", userId: ids.ada })).toBe(
          "E_RBAC_LAST_SUPER_ADMIN",
        );
        expect(await verdict(ids.ada, { kind: "delete-role", role: "super-admin" })).toBe(
          "E_RBAC_LAST_SUPER_ADMIN",
        );
        expect(await policy.isLastActiveSuperAdmin(ids.ada)).toBe(true);
        expect(await policy.isLastActiveSuperAdmin(ids.old)).toBe(false);
      });

      it("lets one of two active super-admins be disabled or demoted", async () => {
        await rbac.assign(ids.ken, "super-admin");
        expect(await verdict(ids.ada, { kind: "account", action: "disable", userId: ids.ken })).toBe(
          "allowed",
        );
        expect(await verdict(ids.ken, { kind: "unassign-role", role: "super-admin", userId: ids.ada })).toBe(
          "allowed",
        );
        expect(await policy.isLastActiveSuperAdmin(ids.ada)).toBe(false);
        await rbac.unassign(ids.ken, "super-admin");
      });

      it("answers the same inside a transaction, as the admin app asks it", async () => {
        const code = await db.transaction().execute(async (trx) => {
          try {
            await new AccessChangePolicy(trx).check(ids.ada, {
              kind: "account",
              action: "disable",
              userId: ids.ada,
            });
            return "allowed";
          } catch (error) {
            return (error as { code: string }).code;
          }
        });
        expect(code).toBe("E_RBAC_LAST_SUPER_ADMIN");
      });
    });
  });
}

describe("AccessChangePolicy on mysql: two super-admins disabling each other at once", () => {
  let env: RbacTestEnv;
  let db: Kysely<AccessPolicyTables>;
  const mysql = RBAC_DRIVERS.find((driver) => driver.sql === "mysql" && driver.cache === "database");

  beforeAll(async () => {
    if (mysql === undefined) throw new Error("no mysql driver in RBAC_DRIVERS");
    env = await createRbacTestEnv(mysql, "access_policy_race");
    db = retype<AccessPolicyTables>(env.db);
    await seedRbacDefaults(env.repository);
  });
  afterAll(() => env.destroy());

  it("lets exactly one succeed: the other is refused as the last super-admin", async () => {
    for (let round = 0; round < 5; round += 1) {
      const x = await env.addUser(`x${round}@example.test`);
      const y = await env.addUser(`y${round}@example.test`);
      await assignDemoRoles(env.repository, { "super-admin": [x, y] });
      // Two connections of the pool, each checking then disabling the other in its own transaction.
      const disable = (actor: number, target: number) =>
        db.transaction().execute(async (trx) => {
          await new AccessChangePolicy(trx).check(actor, {
            kind: "account",
            action: "disable",
            userId: target,
          });
          await trx.updateTable("users").set({ disabled_at: Date.now() }).where("id", "=", target).execute();
        });
      const results = await Promise.allSettled([disable(x, y), disable(y, x)]);
      const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      expect(refused, `round ${round}`).toHaveLength(1);
      expect(refused[0]).toMatchObject({ code: "E_RBAC_LAST_SUPER_ADMIN" });
      // Retire this pair so the next round starts with none active.
      await db.updateTable("users").set({ disabled_at: Date.now() }).where("id", "in", [x, y]).execute();
    }
  });
});
