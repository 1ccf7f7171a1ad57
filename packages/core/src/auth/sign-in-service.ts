import { createHash } from "node:crypto";
import { MargError } from "../errors/marg-error.js";
import { normalizeEmail } from "./email.js";
import type { PasswordHasher } from "./password-hasher.js";
import { PASSWORD_POLICY, passwordLength } from "./password-policy.js";
import type { ThrottleStore, User } from "./types.js";
import type { UserRepository } from "./user-repository.js";

/** A fixed-window budget: at most `maxAttempts` in `windowMs`. */
export interface ThrottleLimit {
  readonly maxAttempts: number;
  readonly windowMs: number;
}

/**
 * Failures lock a pair, never an account: an account is guessed from an address,
 * and only that address waits. The owner, anywhere else, signs in as usual.
 */
export interface SignInLimits {
  /** Failures one address may make on one account before each next attempt waits (LOGIN_FREE_FAILURES). */
  readonly freeFailures: number;
  /** The first wait; each further failure of the same pair doubles it (LOGIN_BACKOFF_BASE). */
  readonly backoffBaseMs: number;
  /** The longest wait (LOGIN_BACKOFF_MAX). */
  readonly backoffMaxMs: number;
  /** How long a pair's run of failures is remembered (LOGIN_FAILURE_MEMORY). */
  readonly failureMemoryMs: number;
  /**
   * Attempts from one address across every account (credential stuffing), 20 a minute
   * by default: looser than the pair's, since an office shares one address behind NAT.
   */
  readonly ip: ThrottleLimit;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = Object.freeze({
  freeFailures: 5,
  backoffBaseMs: 30_000,
  backoffMaxMs: 900_000,
  failureMemoryMs: 86_400_000,
  ip: Object.freeze({ maxAttempts: 20, windowMs: 60_000 }),
});

/** The wait before the attempt after `failures` failures of one pair: base, 2×base, 4×base… up to the cap. */
export function backoffDelayMs(limits: SignInLimits, failures: number): number {
  if (failures < limits.freeFailures) return 0;
  const doublings = Math.min(failures - limits.freeFailures, 30);
  return Math.min(limits.backoffMaxMs, limits.backoffBaseMs * 2 ** doublings);
}

export type SignInFailureReason = "invalid" | "throttled" | "disabled";

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: SignInFailureReason; readonly retryAfterSeconds?: number };

/** The answer of a throttled check: its value when right, else why not. */
export type ThrottledResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: "invalid" | "throttled"; readonly retryAfterSeconds?: number };

export interface SignInAttempt {
  readonly email: unknown;
  readonly password: unknown;
  /** The client address as the HTTP layer resolved it (trusted proxies applied). */
  readonly ip: string;
}

/**
 * Checks an email and password, with a growing wait per account and client address
 * (pair) and a looser limit per address, both held across servers (the store is shared). Never tells an unknown email from
 * a wrong password, neither by answer nor by time taken.
 *
 * @example
 * const result = await signIn.attempt({ email, password, ip: request.ip });
 * if (!result.ok) throw signInFailureError(result);
 * await request.session.regenerate(); // then store result.user.id in it
 */
export class SignInService {
  readonly #users: UserRepository;
  readonly #hasher: PasswordHasher;
  readonly #throttle: ThrottleStore;
  readonly #limits: SignInLimits;

  constructor(deps: {
    users: UserRepository;
    hasher: PasswordHasher;
    throttle: ThrottleStore;
    limits?: SignInLimits;
  }) {
    this.#users = deps.users;
    this.#hasher = deps.hasher;
    this.#throttle = deps.throttle;
    this.#limits = deps.limits ?? DEFAULT_SIGN_IN_LIMITS;
  }

  async attempt(input: SignInAttempt): Promise<SignInResult> {
    const email = typeof input.email === "string" ? normalizeEmail(input.email) : "";
    const password = typeof input.password === "string" ? input.password : "";
    const checked = await this.#throttled("", `${email}\n${input.ip}`, input.ip, async () => {
      const found = email === "" ? null : await this.#users.findCredentials(email);
      const matches =
        passwordLength(password) > PASSWORD_POLICY.maxLength
          ? false // refused unhashed: an attacker must not make us hash megabytes
          : found
            ? await this.#hasher.verify(found.passwordHash, password)
            : await this.#hasher.verifyDummy(password);
      return found && matches ? found : undefined;
    });
    if (!checked.ok) return checked;
    const found = checked.value;
    // Only someone who knows the password learns that the account is disabled.
    if (found.user.disabledAt !== null) return { ok: false, reason: "disabled" };

    if (this.#hasher.needsRehash(found.passwordHash)) {
      await this.#users.storePasswordHash(found.user.id, await this.#hasher.hash(password), {
        changed: false,
      });
    }
    // Not recorded as a sign-in here: a second step may follow, and an account's "last
    // sign-in" must not move for someone who has its password but not its phone.
    return { ok: true, user: found.user };
  }

  /**
   * The second step of a sign-in (a two-factor code) under the password's limits: its own
   * growing wait per account and address, and the same per-address budget as passwords,
   * so codes are guessed no faster than passwords. `check` answers how the factor was
   * proven, or undefined when it was wrong.
   */
  async attemptSecondFactor<T>(
    input: { readonly userId: number; readonly ip: string },
    check: () => Promise<T | undefined>,
  ): Promise<ThrottledResult<T>> {
    return await this.#throttled("two-factor-", `${input.userId}\n${input.ip}`, input.ip, check);
  }

  /**
   * Runs `check` when neither the pair (`pair`, the account and address) nor the address
   * is waiting; a wrong answer counts against both, a right one clears the pair.
   */
  async #throttled<T>(
    scope: "" | "two-factor-",
    pair: string,
    ip: string,
    check: () => Promise<T | undefined>,
  ): Promise<ThrottledResult<T>> {
    const pairKey = throttleKey(`${scope}pair`, pair);
    const gateKey = throttleKey(`${scope}gate`, pair);
    const ipKey = throttleKey("ip", ip);

    // Count the attempt before checking it: a burst of parallel guesses each takes a
    // slot atomically, so none slips past a limit while another is still hashing.
    const [pairCount, ipCount] = await Promise.all([
      this.#throttle.hit(pairKey, this.#limits.failureMemoryMs),
      this.#throttle.hit(ipKey, this.#limits.ip.windowMs),
    ]);
    const refuse = async (waitMs: number): Promise<ThrottledResult<T>> => {
      // A refused attempt was never checked: it is not a failure of the pair.
      await this.#throttle.release(pairKey);
      return { ok: false, reason: "throttled", retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    };
    if (ipCount.count > this.#limits.ip.maxAttempts) return refuse(ipCount.resetInMs);
    // Past the free failures, the pair's gate lets one attempt through per wait: the first
    // to take it (count 1) goes on and holds it for the next wait, the rest are refused.
    if (pairCount.count > this.#limits.freeFailures) {
      const gate = await this.#throttle.hit(gateKey, backoffDelayMs(this.#limits, pairCount.count));
      if (gate.count > 1) return refuse(gate.resetInMs);
    }

    const value = await check();
    if (value === undefined) {
      // The last free failure closes the gate for the first wait.
      if (pairCount.count === this.#limits.freeFailures) {
        await this.#throttle.hit(gateKey, backoffDelayMs(this.#limits, pairCount.count));
      }
      return { ok: false, reason: "invalid" };
    }

    // Right: the pair starts afresh, and the address's slot was no failure.
    // A gate exists only past the free failures: the common sign-in skips that delete.
    await Promise.all([
      this.#throttle.clear(pairKey),
      pairCount.count > this.#limits.freeFailures ? this.#throttle.clear(gateKey) : undefined,
      this.#throttle.release(ipKey),
    ]);
    return { ok: true, value };
  }
}

/** Counters are keyed by a digest, so the store holds no email address or IP in clear. */
function throttleKey(kind: string, value: string): string {
  return `${kind}:${createHash("sha256").update(value).digest("base64url")}`;
}

/**
 * The MargError a route throws for a failed sign-in: one message for unknown email
 * and wrong password, `details.retryAfterSeconds` for the Retry-After header.
 */
export function signInFailureError(result: {
  reason: SignInFailureReason;
  retryAfterSeconds?: number;
}): MargError {
  switch (result.reason) {
    case "throttled": {
      const seconds = result.retryAfterSeconds ?? 60;
      return new MargError(
        "E_AUTH_THROTTLED",
        `Too many failed sign-ins from here. Wait ${seconds} second${seconds === 1 ? "" : "s"} and try again, or reset your password.`,
        { status: 429, details: { retryAfterSeconds: seconds } },
      );
    }
    case "disabled":
      return new MargError(
        "E_AUTH_DISABLED",
        "This account is disabled. Ask an administrator to enable it.",
        {
          status: 403,
        },
      );
    default:
      return new MargError("E_AUTH_INVALID_CREDENTIALS", "The email address or password is incorrect.", {
        status: 401,
      });
  }
}
