import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryCacheStore } from "../../cache/memory-cache-store.js";
import { permissionPatternCovers } from "../../rbac/permission-pattern.js";
import {
  type AuthTestDatabase,
  codeOf,
  createManualClock,
  createTestHasher,
  DIALECTS,
  openAuthTestDatabase,
} from "../auth-test-support.js";
import { UserRepository } from "../user-repository.js";
import { ApiTokenCache } from "./api-token-cache.js";
import { API_TOKEN_PREFIX, hashApiToken, isWellFormedApiToken, newApiToken } from "./api-token-format.js";
import { ApiTokenService } from "./api-token-service.js";

/** Every holder in these tests holds what a flow editor holds. */
const HELD = ["tasks.*", "links.view"];
const uncoveredPermissions = async (_userId: number, wanted: readonly string[]) =>
  wanted.filter((pattern) => !HELD.some((held) => permissionPatternCovers(held, pattern)));

describe("API token format", () => {
  it("is marg_pat_, 32 random base62 characters and a 6-character checksum", () => {
    const { token, hash } = newApiToken();
    expect(token).toMatch(/^marg_pat_[0-9A-Za-z]{38}$/);
    expect(hash).toBe(hashApiToken(token));
    expect(isWellFormedApiToken(token)).toBe(true);
    expect(newApiToken().token).not.toBe(token);
  });

  it("tells a typo, a cut-off paste or another service's token from a token", () => {
    const { token } = newApiToken();
    const body = token.slice(API_TOKEN_PREFIX.length);
    const flipped = body[0] === "a" ? `b${body.slice(1)}` : `a${body.slice(1)}`;
    for (const wrong of [
      `${API_TOKEN_PREFIX}${flipped}`,
      token.slice(0, -1),
      `${token}x`,
      `ghp_${body}`,
      token.toUpperCase(),
      "",
      "Bearer",
    ]) {
      expect(isWellFormedApiToken(wrong), wrong).toBe(false);
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`ApiTokenService on ${dialect}`, () => {
    let database: AuthTestDatabase;
    let users: UserRepository;
    let tokens: ApiTokenService;
    const clock = createManualClock();
    let counter = 0;

    async function newUserId(): Promise<number> {
      counter += 1;
      const user = await users.create({
        email: `token-${counter}@example.com`,
        name: `Holder ${counter}`,
        password: "a long enough passphrase",
      });
      return user.id;
    }

    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "api-tokens");
      users = new UserRepository(database.db, { hasher: createTestHasher(), clock });
      tokens = new ApiTokenService({ db: database.db, uncoveredPermissions, clock });
    });
    afterAll(() => database.close());

    it("creates a token once: only its hash is stored, and it authenticates with its limits", async () => {
      const userId = await newUserId();
      const { token, record } = await tokens.create(userId, {
        name: " ci ",
        permissions: ["tasks.view", "tasks.view", "links.view"],
        apps: ["flow"],
        expiresAt: clock() + 86_400_000,
      });
      expect(record).toMatchObject({
        userId,
        name: "ci",
        permissions: ["tasks.view", "links.view"],
        apps: ["flow"],
        lastUsedAt: null,
        revokedAt: null,
      });
      const stored = JSON.stringify(
        await database.db.selectFrom("personal_access_tokens").selectAll().execute(),
      );
      expect(stored).not.toContain(token);
      expect(stored).toContain(hashApiToken(token));
      const used = await tokens.authenticate(token, "flow");
      expect(used).toMatchObject({ id: record.id, userId, lastUsedAt: clock() });
      expect(await tokens.list(userId)).toEqual([
        expect.objectContaining({ id: record.id, lastUsedAt: clock() }),
      ]);
    });

    it("refuses a permission the holder lacks, and malformed names, apps and expiries", async () => {
      const userId = await newUserId();
      expect(await codeOf(tokens.create(userId, { name: "x", permissions: ["roles.manage"] }))).toBe(
        "E_AUTH_TOKEN_SCOPE_EXCEEDED",
      );
      expect(await codeOf(tokens.create(userId, { name: "x", permissions: ["*"] }))).toBe(
        "E_AUTH_TOKEN_SCOPE_EXCEEDED",
      );
      for (const input of [
        { name: "", permissions: ["tasks.view"] },
        { name: "x".repeat(101), permissions: ["tasks.view"] },
        { name: "x", permissions: [] },
        { name: "x", permissions: ["Tasks View"] },
        { name: "x", permissions: ["tasks.view"], apps: ["Flow!"] },
        { name: "x", permissions: ["tasks.view"], apps: [] },
        { name: "x", permissions: ["tasks.view"], expiresAt: clock() - 1 },
        { name: "x", permissions: ["tasks.view"], expiresAt: Number.NaN },
      ]) {
        expect(await codeOf(tokens.create(userId, input)), JSON.stringify(input)).toBe(
          "E_AUTH_TOKEN_INPUT_INVALID",
        );
      }
      expect(await tokens.list(userId)).toEqual([]);
    });

    it("answers each bad token with its own code, never a crash", async () => {
      const userId = await newUserId();
      const { token } = await tokens.create(userId, {
        name: "flow only",
        permissions: ["tasks.view"],
        apps: ["flow"],
      });
      expect(await codeOf(tokens.authenticate(token.slice(0, -1), "flow"))).toBe("E_AUTH_TOKEN_MALFORMED");
      expect(await codeOf(tokens.authenticate(`x${token}`, "flow"))).toBe("E_AUTH_TOKEN_MALFORMED");
      expect(await codeOf(tokens.authenticate("' OR 1=1 --", "flow"))).toBe("E_AUTH_TOKEN_MALFORMED");
      expect(await codeOf(tokens.authenticate(newApiToken().token, "flow"))).toBe("E_AUTH_TOKEN_UNKNOWN");
      expect(await codeOf(tokens.authenticate(token, "links"))).toBe("E_AUTH_TOKEN_APP_REFUSED");
    });

    it("stops working when revoked, when expired, and when its holder is disabled", async () => {
      const userId = await newUserId();
      const revoked = await tokens.create(userId, { name: "a", permissions: ["tasks.view"] });
      const expiring = await tokens.create(userId, {
        name: "b",
        permissions: ["tasks.view"],
        expiresAt: clock() + 60_000,
      });
      const other = await newUserId();
      expect(await tokens.revoke(revoked.record.id, other)).toBe(false);
      expect(await tokens.revoke(revoked.record.id, userId)).toBe(true);
      expect(await tokens.revoke(revoked.record.id)).toBe(false);
      expect(await codeOf(tokens.authenticate(revoked.token, "flow"))).toBe("E_AUTH_TOKEN_REVOKED");
      await tokens.authenticate(expiring.token, "flow");
      clock.advance(60_000);
      expect(await codeOf(tokens.authenticate(expiring.token, "flow"))).toBe("E_AUTH_TOKEN_EXPIRED");

      const kept = await tokens.create(userId, { name: "c", permissions: ["tasks.view"] });
      await database.db.updateTable("users").set({ disabled_at: clock() }).where("id", "=", userId).execute();
      expect(await codeOf(tokens.authenticate(kept.token, "flow"))).toBe("E_AUTH_DISABLED");
      expect(await tokens.revokeAllFor(userId)).toBe(2);
      expect((await tokens.list(userId)).every((token) => token.revokedAt !== null)).toBe(true);
    });

    it("serves a cached lookup without the database, and a revoke or a disable ends it at once", async () => {
      const store = new MemoryCacheStore({ now: clock });
      const cached = new ApiTokenService({
        db: database.db,
        uncoveredPermissions,
        clock,
        cache: new ApiTokenCache(store, 60),
      });
      const userId = await newUserId();
      const { token, record } = await cached.create(userId, { name: "c", permissions: ["tasks.view"] });
      const first = await cached.authenticate(token, "flow");
      expect(first.holder).toMatchObject({ id: userId, email: expect.stringContaining("@example.com") });
      // The row changed, yet the cached record still answers: no query was made.
      await database.db
        .updateTable("personal_access_tokens")
        .set({ name: "renamed" })
        .where("id", "=", record.id)
        .execute();
      expect((await cached.authenticate(token, "flow")).name).toBe("c");
      expect(await cached.revoke(record.id, userId)).toBe(true);
      expect(await codeOf(cached.authenticate(token, "flow"))).toBe("E_AUTH_TOKEN_REVOKED");

      const other = await cached.create(userId, { name: "d", permissions: ["tasks.view"], apps: ["flow"] });
      await cached.authenticate(other.token, "flow");
      expect(await codeOf(cached.authenticate(other.token, "links"))).toBe("E_AUTH_TOKEN_APP_REFUSED");
      await database.db.updateTable("users").set({ disabled_at: clock() }).where("id", "=", userId).execute();
      expect(await cached.revokeAllFor(userId)).toBe(1);
      expect(await codeOf(cached.authenticate(other.token, "flow"))).toBe("E_AUTH_TOKEN_REVOKED");
    });

    it("writes the last-used time at most once a minute", async () => {
      const userId = await newUserId();
      const { token } = await tokens.create(userId, { name: "busy", permissions: ["tasks.view"] });
      const first = clock();
      await tokens.authenticate(token, "flow");
      clock.advance(59_000);
      expect((await tokens.authenticate(token, "flow")).lastUsedAt).toBe(first);
      clock.advance(1_000);
      expect((await tokens.authenticate(token, "flow")).lastUsedAt).toBe(clock());
    });
  });
}
