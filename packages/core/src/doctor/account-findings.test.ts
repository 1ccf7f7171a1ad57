import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authMigrations } from "../auth/auth-migrations.js";
import type { AuthDatabase } from "../auth/auth-schema.js";
import type { MargConfig } from "../config/index.js";
import { rbacMigrations } from "../rbac/rbac-migrations.js";
import type { RbacTables } from "../rbac/rbac-schema.js";
import { createScratchMysqlDatabase, type ScratchDatabase, TEST_MYSQL } from "../testing/index.js";
import { checkAccounts } from "./account-findings.js";
import { type DoctorFixture, doctorFixture } from "./test-support/doctor-fixture.js";
import type { DoctorContext } from "./types.js";

// A production installation with and without an enabled super-admin, on each SQL driver.

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchMysqlDatabase("doctor_accounts");
});
afterAll(() => scratch.drop());

const DRIVERS: { name: string; env: () => Record<string, string> }[] = [
  { name: "sqlite", env: () => ({}) },
  {
    name: "mysql",
    env: () => ({
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
      DB_DATABASE: scratch.name,
      RBAC_DB_DATABASE: scratch.name,
      BUSINESS_DB_DATABASE: scratch.name,
    }),
  },
];

/** The fixture's context, with the installation seen as production (its databases unchanged). */
function asProduction(fixture: DoctorFixture): DoctorContext {
  const production: MargConfig = {
    ...fixture.installation,
    app: { ...fixture.installation.app, env: "production" },
  };
  return {
    ...fixture.ctx,
    installation: production,
    databasesFor: (config) => fixture.ctx.databasesFor(config === production ? fixture.installation : config),
  };
}

for (const driver of DRIVERS) {
  describe(`doctor: accounts on ${driver.name}`, () => {
    let fixture: DoctorFixture;
    beforeAll(async () => {
      fixture = await doctorFixture({ shared: driver.env(), migrations: [authMigrations, rbacMigrations] });
    });
    afterAll(() => fixture?.close());

    const db = () =>
      fixture.ctx.databasesFor(fixture.installation).connection<AuthDatabase & RbacTables>("rbac");

    it("says nothing outside production", async () => {
      expect(await checkAccounts(fixture.ctx)).toEqual([]);
    });

    it("fails in production with no super-admin, naming marg user:create as the fix", async () => {
      const [finding] = await checkAccounts(asProduction(fixture));
      expect(finding).toMatchObject({
        id: "accounts.super-admin",
        level: "fail",
        fix: "Create the first admin: marg user:create EMAIL --role super-admin",
      });
    });

    it("is ok with an enabled super-admin, and fails again once that user is disabled", async () => {
      const now = Date.now();
      const role = await db()
        .insertInto("roles")
        .values({ name: "super-admin", description: null, created_at: now })
        .executeTakeFirstOrThrow();
      const user = await db()
        .insertInto("users")
        .values({
          name: "Root",
          email: "root@example.com",
          email_normalized: "root@example.com",
          password_hash: "x",
          avatar_path: null,
          disabled_at: null,
          last_login_at: null,
          password_changed_at: now,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirstOrThrow();
      await db()
        .insertInto("user_roles")
        .values({ user_id: Number(user.insertId), role_id: Number(role.insertId), created_at: now })
        .execute();
      expect((await checkAccounts(asProduction(fixture)))[0]?.level).toBe("ok");
      await db().updateTable("users").set({ disabled_at: now }).execute();
      expect((await checkAccounts(asProduction(fixture)))[0]?.level).toBe("fail");
    });
  });
}
