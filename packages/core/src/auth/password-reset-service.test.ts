import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMargError } from "../errors/marg-error.js";
import {
  type AuthTestDatabase,
  createManualClock,
  createTestHasher,
  DIALECTS,
  openAuthTestDatabase,
} from "./auth-test-support.js";
import { PasswordResetService, RESET_TOKEN_TTL_MS } from "./password-reset-service.js";
import type { User } from "./types.js";
import { UserRepository } from "./user-repository.js";

const NEW_PASSWORD = "a fresh long passphrase";

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code?: string; status?: number; message?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isMargError(error) ? { code: error.code, status: error.status, message: error.message } : {};
}

for (const dialect of DIALECTS) {
  describe(`PasswordResetService on ${dialect}`, () => {
    let database: AuthTestDatabase;
    let users: UserRepository;
    let resets: PasswordResetService;
    let ann: User;
    const clock = createManualClock();
    const hasher = createTestHasher();

    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "resets");
      users = new UserRepository(database.db, { hasher, clock });
      resets = new PasswordResetService({ db: database.db, users, hasher, clock });
      ann = await users.create({ email: "ann@example.com", name: "Ann", password: "the old passphrase" });
    });
    afterAll(() => database.close());

    it("issues a 32-byte base64url token and stores only its SHA-256, expiring in 60 minutes", async () => {
      const issued = await resets.request("ANN@example.com");
      expect(issued?.user.id).toBe(ann.id);
      expect(issued?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(issued?.token ?? "", "base64url")).toHaveLength(32);
      expect(issued?.expiresAt).toBe(clock() + 60 * 60 * 1000);
      const rows = await database.db.selectFrom("password_resets").selectAll().execute();
      const sha = createHash("sha256")
        .update(issued?.token ?? "")
        .digest("hex");
      expect(rows.map((r) => r.token_hash)).toContain(sha);
      expect(JSON.stringify(rows)).not.toContain(issued?.token);
    });

    it("issues nothing for an unknown or disabled account, or for input that is not text", async () => {
      expect(await resets.request("nobody@example.com")).toBeNull();
      expect(await resets.request({ email: "ann@example.com" })).toBeNull();
      const bo = await users.create({ email: "bo@example.com", name: "Bo", password: "bo's passphrase!" });
      await users.disable(bo.id);
      expect(await resets.request("bo@example.com")).toBeNull();
    });

    it("sets the new password, returns the user id and records the change", async () => {
      const issued = await resets.request("ann@example.com");
      clock.advance(60_000);
      expect(await resets.reset(issued?.token, NEW_PASSWORD)).toEqual({ userId: ann.id });
      const credentials = await users.findCredentials("ann@example.com");
      expect(await hasher.verify(credentials?.passwordHash ?? "", NEW_PASSWORD)).toBe(true);
      expect(credentials?.user.passwordChangedAt).toBe(clock());
    });

    it("works once: the same link again is E_AUTH_RESET_INVALID (400), telling to request a new link", async () => {
      const issued = await resets.request("ann@example.com");
      await resets.reset(issued?.token, NEW_PASSWORD);
      const again = await errorOf(resets.reset(issued?.token, "yet another passphrase"));
      expect(again).toMatchObject({ code: "E_AUTH_RESET_INVALID", status: 400 });
      expect(again.message).toMatch(/request a new link/i);
    });

    it("spends the user's other open links when one is used", async () => {
      const older = await resets.request("ann@example.com");
      const newer = await resets.request("ann@example.com");
      await resets.reset(newer?.token, NEW_PASSWORD);
      expect((await errorOf(resets.reset(older?.token, NEW_PASSWORD))).code).toBe("E_AUTH_RESET_INVALID");
    });

    it("refuses a link after 60 minutes", async () => {
      const issued = await resets.request("ann@example.com");
      clock.advance(RESET_TOKEN_TTL_MS);
      expect((await errorOf(resets.reset(issued?.token, NEW_PASSWORD))).code).toBe("E_AUTH_RESET_INVALID");
    });

    it("refuses unknown, malformed and non-text tokens the same way", async () => {
      for (const token of ["", "made-up-token", "x".repeat(10_000), undefined, 12]) {
        expect((await errorOf(resets.reset(token, NEW_PASSWORD))).code).toBe("E_AUTH_RESET_INVALID");
      }
    });

    it("keeps the link usable when the new password breaks the policy", async () => {
      const issued = await resets.request("ann@example.com");
      expect((await errorOf(resets.reset(issued?.token, "short"))).code).toBe("E_AUTH_PASSWORD_WEAK");
      expect((await errorOf(resets.reset(issued?.token, "ann@example.com"))).code).toBe(
        "E_AUTH_PASSWORD_WEAK",
      );
      expect(await resets.reset(issued?.token, NEW_PASSWORD)).toEqual({ userId: ann.id });
    });

    it("lets only one of two simultaneous uses of a link succeed", async () => {
      const issued = await resets.request("ann@example.com");
      const outcomes = await Promise.allSettled([
        resets.reset(issued?.token, "first racing passphrase"),
        resets.reset(issued?.token, "second racing passphrase"),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    });

    it("prunes links that expired or were used more than a day ago", async () => {
      await resets.request("ann@example.com");
      clock.advance(2 * 24 * 60 * 60 * 1000);
      expect(await resets.prune()).toBeGreaterThan(0);
      expect(await database.db.selectFrom("password_resets").selectAll().execute()).toEqual([]);
    });
  });
}
