import { Migrator, NO_MIGRATIONS } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authMigrations } from "./auth-migrations.js";
import { type AuthTestDatabase, DIALECTS, openAuthTestDatabase } from "./auth-test-support.js";

describe("authMigrations", () => {
  it("belong to the shared rbac connection and are named by time", () => {
    expect(authMigrations.connection).toBe("rbac");
    for (const name of Object.keys(authMigrations.migrations)) {
      expect(name).toMatch(/^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+$/);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`authMigrations on ${dialect}`, () => {
    let database: AuthTestDatabase;
    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "auth_migrations");
    });
    afterAll(() => database.close());

    it("create the users, password_resets, login_attempts and account_invitations tables", async () => {
      const tables = (await database.db.introspection.getTables()).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining(["users", "password_resets", "login_attempts", "account_invitations"]),
      );
    });

    it("give users ids that count up from one", async () => {
      const row = { name: "A", password_hash: "x", password_changed_at: 1, created_at: 1, updated_at: 1 };
      const first = await database.db
        .insertInto("users")
        .values({ ...row, email: "a@x.test", email_normalized: "a@x.test" })
        .executeTakeFirstOrThrow();
      const second = await database.db
        .insertInto("users")
        .values({ ...row, email: "b@x.test", email_normalized: "b@x.test" })
        .executeTakeFirstOrThrow();
      expect([Number(first.insertId), Number(second.insertId)]).toEqual([1, 2]);
    });

    it("roll back down to nothing", async () => {
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => ({ ...authMigrations.migrations }) },
      });
      const { error } = await migrator.migrateTo(NO_MIGRATIONS);
      expect(error).toBeUndefined();
      const tables = (await database.db.introspection.getTables()).map((t) => t.name);
      expect(tables).not.toContain("users");
      expect(tables).not.toContain("password_resets");
      expect(tables).not.toContain("login_attempts");
      expect(tables).not.toContain("account_invitations");
    });
  });
}
