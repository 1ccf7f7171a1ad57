import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { createDatabases } from "./databases.js";
import type { MigrationSet } from "./migration-types.js";
import { createMigrator } from "./migrator.js";
import { withId } from "./schema-helpers.js";
import { insertMissing, runSeeders, type Seeder } from "./seeder.js";
import { DB_TEST_DRIVERS, type TestInstallation } from "./test-support.js";
import type { Databases } from "./types.js";

interface RoleTables {
  roles: { id?: number; name: string; guard: string | null };
}

const ROLES: MigrationSet = {
  source: "test:roles",
  connection: "rbac",
  migrations: {
    "2026_01_01_000000_create_roles": {
      up: async (db) =>
        db.schema
          .createTable("roles")
          .$call(withId(db))
          .addColumn("name", "varchar(100)", (col) => col.notNull())
          .addColumn("guard", "varchar(100)")
          .execute(),
    },
  },
};

const defaultRoles: Seeder = {
  name: "test:default-roles",
  async run(ctx) {
    const rows = [
      { name: "admin", guard: "web" },
      { name: "member", guard: null },
    ];
    const inserted = await insertMissing(ctx.db<RoleTables>("rbac"), "roles", rows, ["name", "guard"]);
    ctx.log(`${inserted} roles inserted`);
  },
};

for (const driver of DB_TEST_DRIVERS) {
  describe(`seeders on ${driver.name}`, () => {
    let installation: TestInstallation;
    let databases: Databases;
    beforeAll(async () => {
      installation = await driver.install("seeder");
      databases = createDatabases(installation.config, { readReplicas: false });
      await createMigrator(() => databases, [ROLES]).latest();
    });
    afterAll(async () => {
      await databases?.destroy();
      await installation?.cleanup();
    });

    const entry = (seeder: Seeder) => ({ seeder, source: "test", config: installation.config, databases });

    it("creates no duplicates when run twice (also for rows keyed by a NULL)", async () => {
      const lines: string[] = [];
      await runSeeders([entry(defaultRoles)], { log: (line) => lines.push(line) });
      const results = await runSeeders([entry(defaultRoles)], { log: (line) => lines.push(line) });
      expect(results.map((result) => result.name)).toEqual(["test:default-roles"]);
      expect(lines).toEqual(["test:default-roles: 2 roles inserted", "test:default-roles: 0 roles inserted"]);
      const roles = await databases
        .connection<RoleTables>("rbac")
        .selectFrom("roles")
        .select("name")
        .execute();
      expect(roles.map((role) => role.name).sort()).toEqual(["admin", "member"]);
    });

    it("stops at a failing seeder with E_SEED_FAILED naming it, and does not run the next", async () => {
      let ranAfter = false;
      const failing: Seeder = {
        name: "test:broken",
        run: async (ctx) => {
          await ctx.db<RoleTables>("rbac").insertInto("roles").values({ name: "x", guard: "y" }).execute();
          throw new Error("boom");
        },
      };
      const after: Seeder = {
        name: "test:after",
        run: async () => {
          ranAfter = true;
        },
      };
      const error = await runSeeders([entry(failing), entry(after)]).catch((caught: unknown) => caught);
      expect(isMargError(error) && error.code).toBe("E_SEED_FAILED");
      expect((error as Error).message).toContain("Seeder test:broken (test) failed: boom");
      expect(ranAfter).toBe(false);
    });
  });
}
