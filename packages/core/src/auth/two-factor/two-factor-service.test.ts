import { randomBytes } from "node:crypto";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthTestDatabase,
  codeOf,
  createManualClock,
  createTestHasher,
  DIALECTS,
  openAuthTestDatabase,
} from "../auth-test-support.js";
import type { User } from "../types.js";
import { UserRepository } from "../user-repository.js";
import { TwoFactorService } from "./two-factor-service.js";

const secretOf = (uri: string) => new URL(uri).searchParams.get("secret") ?? "";
/** The code an authenticator app shows at `ms`. */
const codeAt = (secret: string, ms: number) => generate({ secret, epoch: Math.floor(ms / 1000) });

for (const dialect of DIALECTS) {
  describe(`TwoFactorService on ${dialect}`, () => {
    let database: AuthTestDatabase;
    let users: UserRepository;
    const clock = createManualClock();
    const appKey = randomBytes(32);
    let service: TwoFactorService;
    let counter = 0;

    async function newUser(): Promise<User> {
      counter += 1;
      return await users.create({
        email: `two-factor-${counter}@example.com`,
        name: `User ${counter}`,
        password: "a long enough passphrase",
      });
    }

    /** A user with two-factor on; returns the secret and the recovery codes. */
    async function enrolled() {
      const user = await newUser();
      const { uri } = await service.begin(user.id, user.email);
      const secret = secretOf(uri);
      const { recoveryCodes } = await service.confirm(user.id, await codeAt(secret, clock()));
      // Two steps on: the confirming code's step is spent, the one before "now" is not.
      clock.advance(60_000);
      return { user, secret, recoveryCodes };
    }

    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "two-factor");
      users = new UserRepository(database.db, { hasher: createTestHasher(), clock });
      service = new TwoFactorService({
        db: database.db,
        keys: { current: appKey, previous: [] },
        issuer: "MARG",
        clock,
      });
    });
    afterAll(() => database.close());

    it("is off until set-up is confirmed with one code, then gives ten recovery codes once", async () => {
      const user = await newUser();
      const { uri } = await service.begin(user.id, user.email);
      expect(uri).toMatch(
        /^otpauth:\/\/totp\/MARG:two-factor-\d+%40example\.com\?secret=[A-Z2-7]{32}&issuer=MARG$/,
      );
      expect(await service.status(user.id)).toEqual({ enabled: false, pending: true, recoveryCodesLeft: 0 });
      expect(await codeOf(service.confirm(user.id, "000000"))).toBe("E_AUTH_TWO_FACTOR_CODE_INVALID");
      const { recoveryCodes } = await service.confirm(user.id, await codeAt(secretOf(uri), clock()));
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(await service.status(user.id)).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10 });
      expect(await codeOf(service.begin(user.id, user.email))).toBe("E_AUTH_TWO_FACTOR_ALREADY_ON");
    });

    it("stores neither the secret nor a recovery code in clear", async () => {
      const { user, secret, recoveryCodes } = await enrolled();
      const rows = JSON.stringify([
        await database.db.selectFrom("user_two_factor").selectAll().where("user_id", "=", user.id).execute(),
        await database.db
          .selectFrom("user_recovery_codes")
          .selectAll()
          .where("user_id", "=", user.id)
          .execute(),
      ]);
      expect(rows).not.toContain(secret);
      for (const code of recoveryCodes) {
        expect(rows).not.toContain(code);
        expect(rows).not.toContain(code.replace("-", ""));
      }
    });

    it("accepts the current code and its neighbours, never the same code twice, nor an older one", async () => {
      const { user, secret } = await enrolled();
      const now = clock();
      expect(await service.verify(user.id, await codeAt(secret, now - 30_000))).toBe("totp");
      expect(await codeOf(service.verify(user.id, await codeAt(secret, now - 30_000)))).toBe(
        "E_AUTH_TWO_FACTOR_CODE_INVALID",
      );
      const current = await codeAt(secret, now);
      expect(await service.verify(user.id, ` ${current.slice(0, 3)} ${current.slice(3)} `)).toBe("totp");
      expect(await codeOf(service.verify(user.id, current))).toBe("E_AUTH_TWO_FACTOR_CODE_INVALID");
      // Older than one accepted: refused even though it is inside the window.
      clock.advance(30_000);
      expect(await codeOf(service.verify(user.id, await codeAt(secret, now)))).toBe(
        "E_AUTH_TWO_FACTOR_CODE_INVALID",
      );
    });

    it("refuses a code outside the ±30 s window and anything that is not six digits", async () => {
      const { user, secret } = await enrolled();
      expect(await codeOf(service.verify(user.id, await codeAt(secret, clock() - 90_000)))).toBe(
        "E_AUTH_TWO_FACTOR_CODE_INVALID",
      );
      expect(await codeOf(service.verify(user.id, await codeAt(secret, clock() + 90_000)))).toBe(
        "E_AUTH_TWO_FACTOR_CODE_INVALID",
      );
      for (const junk of ["", "12345", "1234567", "abcdef", "' OR 1=1 --", "x".repeat(10_000)]) {
        expect(await codeOf(service.verify(user.id, junk))).toBe("E_AUTH_TWO_FACTOR_CODE_INVALID");
      }
    });

    it("spends a recovery code once, typed in any case and spacing", async () => {
      const { user, recoveryCodes } = await enrolled();
      const [first = "", second = ""] = recoveryCodes;
      expect(await service.verify(user.id, first.toUpperCase().replace("-", " "))).toBe("recovery-code");
      expect(await codeOf(service.verify(user.id, first))).toBe("E_AUTH_TWO_FACTOR_CODE_INVALID");
      expect((await service.status(user.id)).recoveryCodesLeft).toBe(9);
      const other = await enrolled();
      expect(await codeOf(service.verify(other.user.id, second))).toBe("E_AUTH_TWO_FACTOR_CODE_INVALID");
      const fresh = await service.regenerateRecoveryCodes(user.id);
      expect(await codeOf(service.verify(user.id, second))).toBe("E_AUTH_TWO_FACTOR_CODE_INVALID");
      expect(await service.verify(user.id, fresh[0] ?? "")).toBe("recovery-code");
    });

    it("lets one of two racing requests through with the same code", async () => {
      const { user, secret } = await enrolled();
      const code = await codeAt(secret, clock());
      const results = await Promise.all([1, 2, 3].map(() => codeOf(service.verify(user.id, code))));
      expect(results.filter((result) => result === undefined)).toHaveLength(1);
    });

    it("still opens a secret sealed under a previous APP_KEY, and not under an unrelated one", async () => {
      const { user, secret } = await enrolled();
      const rotated = new TwoFactorService({
        db: database.db,
        keys: { current: randomBytes(32), previous: [appKey] },
        issuer: "MARG",
        clock,
      });
      expect(await rotated.verify(user.id, await codeAt(secret, clock()))).toBe("totp");
      const stranger = new TwoFactorService({
        db: database.db,
        keys: { current: randomBytes(32), previous: [] },
        issuer: "MARG",
        clock,
      });
      clock.advance(30_000);
      expect(await codeOf(stranger.verify(user.id, await codeAt(secret, clock())))).toBe(
        "E_AUTH_TWO_FACTOR_CODE_INVALID",
      );
    });

    it("turns off: the secret and recovery codes are gone, and sign-in no longer asks", async () => {
      const { user, recoveryCodes } = await enrolled();
      expect(await service.disable(user.id)).toBe(true);
      expect(await service.status(user.id)).toEqual({ enabled: false, pending: false, recoveryCodesLeft: 0 });
      expect(await codeOf(service.verify(user.id, recoveryCodes[0] ?? ""))).toBe(
        "E_AUTH_TWO_FACTOR_CODE_INVALID",
      );
      expect(await service.disable(user.id)).toBe(false);
    });
  });
}
