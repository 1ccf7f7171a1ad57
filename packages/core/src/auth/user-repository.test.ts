import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMargError } from "../errors/marg-error.js";
import {
  type AuthTestDatabase,
  codeOf,
  createManualClock,
  createTestHasher,
  DIALECTS,
  openAuthTestDatabase,
} from "./auth-test-support.js";
import { UserRepository } from "./user-repository.js";

const PASSWORD = "correct horse battery";

for (const dialect of DIALECTS) {
  describe(`UserRepository on ${dialect}`, () => {
    let database: AuthTestDatabase;
    let users: UserRepository;
    const clock = createManualClock();
    const hasher = createTestHasher();

    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "users");
      users = new UserRepository(database.db, { hasher, clock });
    });
    afterAll(() => database.close());

    it("creates a user with a trimmed display email, a hashed password and its times", async () => {
      const user = await users.create({
        email: "  Ann.Lee@Example.COM ",
        name: " Ann Lee ",
        password: PASSWORD,
      });
      expect(user).toMatchObject({
        email: "Ann.Lee@Example.COM",
        name: "Ann Lee",
        avatarPath: null,
        disabledAt: null,
      });
      expect(user.createdAt).toBe(clock());
      expect(user.passwordChangedAt).toBe(clock());
      expect(user).not.toHaveProperty("passwordHash");
      const row = await database.db
        .selectFrom("users")
        .select(["email_normalized", "password_hash"])
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      expect(row.email_normalized).toBe("ann.lee@example.com");
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(await hasher.verify(row.password_hash, PASSWORD)).toBe(true);
    });

    it("finds a user by email in any letter case and with stray spaces", async () => {
      const found = await users.findByEmail(" ANN.LEE@example.com");
      expect(found?.name).toBe("Ann Lee");
      expect(await users.findByEmail("nobody@example.com")).toBeNull();
    });

    it("refuses a second account for the same address in another case with E_AUTH_EMAIL_TAKEN (409)", async () => {
      const error = await users
        .create({ email: "ann.lee@EXAMPLE.com", name: "Copy", password: PASSWORD })
        .catch((e: unknown) => e);
      expect(isMargError(error) && [error.code, error.status]).toEqual(["E_AUTH_EMAIL_TAKEN", 409]);
      expect(isMargError(error) && error.message).toMatch(/already exists.*reset its password/);
    });

    it("lets the unique index stop two sign-ups racing with one address", async () => {
      const attempts = await Promise.allSettled([
        users.create({ email: "race@example.com", name: "One", password: PASSWORD }),
        users.create({ email: "RACE@example.com", name: "Two", password: PASSWORD }),
      ]);
      expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
      const rejected = attempts.find((a) => a.status === "rejected");
      expect(rejected && isMargError(rejected.reason) && rejected.reason.code).toBe("E_AUTH_EMAIL_TAKEN");
    });

    it("has a unique index on the normalised email, whatever writes the row", async () => {
      const row = {
        email: "Dup@Example.com",
        email_normalized: "dup@example.com",
        name: "Dup",
        password_hash: "x",
        password_changed_at: 1,
        created_at: 1,
        updated_at: 1,
      };
      await database.db.insertInto("users").values(row).execute();
      await expect(
        database.db
          .insertInto("users")
          .values({ ...row, email: "DUP@example.com" })
          .execute(),
      ).rejects.toThrow();
    });

    it("refuses an invalid email, an empty name and a weak password with field details", async () => {
      expect(await codeOf(users.create({ email: "not-an-email", name: "X", password: PASSWORD }))).toBe(
        "E_AUTH_EMAIL_INVALID",
      );
      expect(await codeOf(users.create({ email: "x@example.com", name: "  ", password: PASSWORD }))).toBe(
        "E_AUTH_NAME_INVALID",
      );
      const weak = await users
        .create({ email: "x@example.com", name: "X", password: "short" })
        .catch((e: unknown) => e);
      expect(isMargError(weak) && weak.details).toEqual({
        fields: { password: [expect.stringMatching(/12/)] },
      });
      expect(await users.findByEmail("x@example.com")).toBeNull();
    });

    it("updates name and avatar and moves updatedAt", async () => {
      const ann = await users.findByEmail("ann.lee@example.com");
      clock.advance(1_000);
      const updated = await users.updateProfile(ann?.id ?? 0, {
        name: "Ann L.",
        avatarPath: "avatars/1.webp",
      });
      expect(updated).toMatchObject({ name: "Ann L.", avatarPath: "avatars/1.webp", updatedAt: clock() });
      const cleared = await users.updateProfile(updated.id, { avatarPath: null });
      expect(cleared.avatarPath).toBeNull();
    });

    it("sets a new password under the policy and records when it changed", async () => {
      const ann = await users.findByEmail("ann.lee@example.com");
      const id = ann?.id ?? 0;
      clock.advance(1_000);
      const changed = await users.setPassword(id, "a brand new passphrase");
      expect(changed.passwordChangedAt).toBe(clock());
      const credentials = await users.findCredentials("ann.lee@example.com");
      expect(await hasher.verify(credentials?.passwordHash ?? "", "a brand new passphrase")).toBe(true);
      expect(await codeOf(users.setPassword(id, "Ann.Lee@example.com"))).toBe("E_AUTH_PASSWORD_WEAK");
    });

    it("disables and enables an account, and records a login", async () => {
      const ann = await users.findByEmail("ann.lee@example.com");
      const id = ann?.id ?? 0;
      expect((await users.disable(id)).disabledAt).toBe(clock());
      expect((await users.enable(id)).disabledAt).toBeNull();
      clock.advance(5);
      expect((await users.recordLogin(id)).lastLoginAt).toBe(clock());
    });

    it("answers E_AUTH_USER_NOT_FOUND (404) for a missing id", async () => {
      expect(await codeOf(users.disable(999_999))).toBe("E_AUTH_USER_NOT_FOUND");
      expect(await users.findById(999_999)).toBeNull();
    });

    it("lists users newest first, a page at a time, searching email and name without wildcards", async () => {
      for (const [email, name] of [
        ["bo@shop.test", "Bo Ström"],
        ["cy@shop.test", "Cy 100% Real"],
        ["di@other.test", "Di"],
      ]) {
        await users.create({ email: email ?? "", name: name ?? "", password: PASSWORD });
      }
      const page1 = await users.list({ search: "SHOP.test", perPage: 1 });
      expect(page1).toMatchObject({ total: 2, page: 1, perPage: 1, pages: 2 });
      expect(page1.items.map((u) => u.email)).toEqual(["cy@shop.test"]);
      const page2 = await users.list({ search: "shop.test", perPage: 1, page: 2 });
      expect(page2.items.map((u) => u.email)).toEqual(["bo@shop.test"]);
      expect((await users.list({ search: "100%" })).items.map((u) => u.name)).toEqual(["Cy 100% Real"]);
      expect((await users.list({ search: "%" })).items.map((u) => u.name)).toEqual(["Cy 100% Real"]);
      expect((await users.list({ search: "_" })).total).toBe(0);
    });

    it("filters by status and clamps nonsense paging to sane values", async () => {
      const di = await users.findByEmail("di@other.test");
      await users.disable(di?.id ?? 0);
      expect((await users.list({ status: "disabled" })).items.map((u) => u.email)).toEqual(["di@other.test"]);
      const all = await users.list({ status: "active", page: -3, perPage: 10_000 });
      expect(all).toMatchObject({ page: 1, perPage: 100 });
      expect(all.items.some((u) => u.email === "di@other.test")).toBe(false);
    });
  });
}
