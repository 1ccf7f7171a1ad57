import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AuthTestDatabase,
  createManualClock,
  createTestHasher,
  openAuthTestDatabase,
} from "./auth-test-support.js";
import { PasswordHasher } from "./password-hasher.js";
import {
  DEFAULT_SIGN_IN_LIMITS,
  type SignInResult,
  SignInService,
  signInFailureError,
} from "./sign-in-service.js";
import { DatabaseThrottleStore } from "./stores/database-throttle-store.js";
import { UserRepository } from "./user-repository.js";

const PASSWORD = "correct horse battery";
const IP = "203.0.113.7";
const ELSEWHERE = "192.0.2.44";
// Waits shorter than the 10 minutes each test starts with, so every test starts afresh.
const LIMITS = { ...DEFAULT_SIGN_IN_LIMITS, backoffMaxMs: 240_000, failureMemoryMs: 540_000 };

/** The real hasher, counting the dummy verifications it is asked for. */
class CountingHasher extends PasswordHasher {
  dummies = 0;
  override verifyDummy(password: string): Promise<false> {
    this.dummies++;
    return super.verifyDummy(password);
  }
}

function failed(result: SignInResult): Extract<SignInResult, { ok: false }> {
  if (result.ok) throw new Error("expected the sign-in to fail");
  return result;
}

describe("SignInService", () => {
  let database: AuthTestDatabase;
  let users: UserRepository;
  let signIn: SignInService;
  let hasher: CountingHasher;
  const clock = createManualClock();

  beforeAll(async () => {
    database = await openAuthTestDatabase("sqlite", "sign_in");
    hasher = new CountingHasher({ params: createTestHasher().params });
    users = new UserRepository(database.db, { hasher, clock });
    signIn = new SignInService({
      users,
      hasher,
      throttle: new DatabaseThrottleStore(database.db, { clock }),
      limits: LIMITS,
    });
    await users.create({ email: "ann@example.com", name: "Ann", password: PASSWORD });
  });
  afterAll(() => database.close());
  // Each test starts with empty counters, as if a window had passed.
  beforeEach(() => clock.advance(10 * 60_000));

  it("accepts the right password in any email letter case, leaving the login to be recorded once every step passed", async () => {
    const result = await signIn.attempt({ email: " ANN@example.com ", password: PASSWORD, ip: IP });
    expect(result.ok && result.user.email).toBe("ann@example.com");
    expect(result.ok && result.user.lastLoginAt).toBeNull();
  });

  it("answers an unknown email exactly as a wrong password, after the same hashing work", async () => {
    const before = hasher.dummies;
    const unknown = await signIn.attempt({ email: "nobody@example.com", password: PASSWORD, ip: IP });
    const wrong = await signIn.attempt({ email: "ann@example.com", password: "not the password", ip: IP });
    expect(unknown).toEqual({ ok: false, reason: "invalid" });
    expect(wrong).toEqual(unknown);
    expect(hasher.dummies).toBe(before + 1);
    expect(signInFailureError(failed(unknown)).message).toBe(signInFailureError(failed(wrong)).message);
  });

  it("treats a missing, non-text or absurdly long input as invalid, without a crash", async () => {
    expect(await signIn.attempt({ email: undefined, password: PASSWORD, ip: IP })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await signIn.attempt({ email: ["ann@example.com"], password: PASSWORD, ip: IP })).toMatchObject({
      reason: "invalid",
    });
    expect(await signIn.attempt({ email: "ann@example.com", password: 42, ip: IP })).toMatchObject({
      reason: "invalid",
    });
    const huge = "x".repeat(100_000);
    expect(await signIn.attempt({ email: "ann@example.com", password: huge, ip: IP })).toMatchObject({
      reason: "invalid",
    });
  });

  it("refuses a disabled account, but says so only to someone who knows its password", async () => {
    const bo = await users.create({ email: "bo@example.com", name: "Bo", password: PASSWORD });
    await users.disable(bo.id);
    expect(await signIn.attempt({ email: "bo@example.com", password: "wrong password!", ip: IP })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await signIn.attempt({ email: "bo@example.com", password: PASSWORD, ip: IP })).toEqual({
      ok: false,
      reason: "disabled",
    });
  });

  const fail = async (times: number, ip = IP) => {
    for (let i = 0; i < times; i++) {
      expect(
        await signIn.attempt({ email: "ann@example.com", password: `guess number ${i}`, ip }),
      ).toMatchObject({ reason: "invalid" });
    }
  };

  it("makes an address wait after five failures on one account: its sixth try is refused even with the right password", async () => {
    await fail(5);
    clock.advance(20_000);
    const sixth = await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: IP });
    expect(sixth).toEqual({ ok: false, reason: "throttled", retryAfterSeconds: 10 });
    expect(signInFailureError(failed(sixth))).toMatchObject({ code: "E_AUTH_THROTTLED", status: 429 });
  });

  it("never locks the owner out: the right password from another address signs in while the guesser waits", async () => {
    await fail(5);
    expect((await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: IP })).ok).toBe(false);
    expect((await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: ELSEWHERE })).ok).toBe(
      true,
    );
    // The owner's sign-in does not lift the guesser's wait.
    expect(
      await signIn.attempt({ email: "ann@example.com", password: "another guess!", ip: IP }),
    ).toMatchObject({
      reason: "throttled",
    });
  });

  it("doubles the wait with each further failure of the same account and address, up to the cap", async () => {
    await fail(5);
    const waits: number[] = [];
    for (let round = 0; round < 5; round++) {
      const refused = failed(
        await signIn.attempt({ email: "ann@example.com", password: "x guess x", ip: IP }),
      );
      expect(refused.reason, `round ${round}`).toBe("throttled");
      waits.push(refused.retryAfterSeconds ?? 0);
      clock.advance((refused.retryAfterSeconds ?? 0) * 1000);
      expect(await signIn.attempt({ email: "ann@example.com", password: "x guess x", ip: IP })).toMatchObject(
        {
          reason: "invalid",
        },
      );
    }
    expect(waits).toEqual([30, 60, 120, 240, 240]);
  });

  it("lets the address try again once the wait has passed", async () => {
    await fail(5);
    clock.advance(DEFAULT_SIGN_IN_LIMITS.backoffBaseMs);
    expect((await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: IP })).ok).toBe(true);
  });

  it("makes unknown emails wait the same way, so the wait does not reveal who has an account", async () => {
    const tries = [];
    for (let i = 0; i < 6; i++)
      tries.push(await signIn.attempt({ email: "ghost@example.com", password: "nope nope nope", ip: IP }));
    expect(tries.at(-1)).toMatchObject({ reason: "throttled" });
  });

  it("forgets the pair's failures on success", async () => {
    await fail(4);
    expect((await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: IP })).ok).toBe(true);
    await fail(5);
    expect(await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: IP })).toMatchObject({
      reason: "throttled",
    });
  });

  it("locks an address that sprays many accounts, and only that address", async () => {
    const sprayer = "198.51.100.9";
    for (let i = 0; i < DEFAULT_SIGN_IN_LIMITS.ip.maxAttempts; i++) {
      await signIn.attempt({ email: `victim${i}@example.com`, password: "summer2026summer", ip: sprayer });
    }
    expect(await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: sprayer })).toMatchObject(
      {
        reason: "throttled",
      },
    );
    expect((await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: IP })).ok).toBe(true);
  });

  it("does not count successful sign-ins against a shared address", async () => {
    for (let i = 0; i < DEFAULT_SIGN_IN_LIMITS.ip.maxAttempts + 5; i++) {
      expect(
        (await signIn.attempt({ email: "ann@example.com", password: PASSWORD, ip: "192.0.2.1" })).ok,
      ).toBe(true);
    }
  });

  it("stores throttle counters under digests, never the email address or IP", async () => {
    await signIn.attempt({ email: "ann@example.com", password: "wrong password!", ip: IP });
    const keys = (await database.db.selectFrom("login_attempts").select("throttle_key").execute()).map(
      (r) => r.throttle_key,
    );
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toMatch(/ann|example|203\.0/);
  });

  it("rehashes a password made with older parameters, without counting it as a password change", async () => {
    const old = new PasswordHasher({ params: { memoryCost: 512, timeCost: 1, parallelism: 1 } });
    const oldUsers = new UserRepository(database.db, { hasher: old, clock });
    const cy = await oldUsers.create({ email: "cy@example.com", name: "Cy", password: PASSWORD });
    expect((await signIn.attempt({ email: "cy@example.com", password: PASSWORD, ip: IP })).ok).toBe(true);
    const stored = await users.findCredentials("cy@example.com");
    expect(hasher.needsRehash(stored?.passwordHash ?? "")).toBe(false);
    expect(stored?.user.passwordChangedAt).toBe(cy.passwordChangedAt);
    expect((await signIn.attempt({ email: "cy@example.com", password: PASSWORD, ip: IP })).ok).toBe(true);
  });
});
