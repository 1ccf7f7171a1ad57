import { createHash } from "node:crypto";
import { MargError } from "../errors/marg-error.js";
import { normalizeEmail } from "./email.js";
import type { PasswordHasher } from "./password-hasher.js";
import { PASSWORD_POLICY, passwordLength } from "./password-policy.js";
import type { ThrottleStore, User } from "./types.js";
import type { UserRepository } from "./user-repository.js";

/** How many failures one key may collect in one window before it is locked. */
export interface ThrottleLimit {
  readonly maxFailures: number;
  readonly windowMs: number;
}

export interface SignInLimits {
  /** Guards one account against guessing: 5 a minute by default. */
  readonly account: ThrottleLimit;
  /**
   * Guards against one address spraying many accounts: 20 a minute by default, more
   * than the account limit because an office or school shares one address behind NAT.
   */
  readonly ip: ThrottleLimit;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = Object.freeze({
  account: Object.freeze({ maxFailures: 5, windowMs: 60_000 }),
  ip: Object.freeze({ maxFailures: 20, windowMs: 60_000 }),
});

export type SignInFailureReason = "invalid" | "throttled" | "disabled";

export type SignInResult =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: SignInFailureReason; readonly retryAfterSeconds?: number };

export interface SignInAttempt {
  readonly email: unknown;
  readonly password: unknown;
  /** The client address as the HTTP layer resolved it (trusted proxies applied). */
  readonly ip: string;
}

/**
 * Checks an email and password, with throttling per account and per client address
 * that holds across servers (the store is shared). Never tells an unknown email from
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
    const accountKey = throttleKey("account", email);
    const ipKey = throttleKey("ip", input.ip);

    // Count the attempt before checking it: a burst of parallel guesses each takes a
    // slot atomically, so none slips past the limit while another is still hashing.
    const [account, ip] = await Promise.all([
      this.#throttle.hit(accountKey, this.#limits.account.windowMs),
      this.#throttle.hit(ipKey, this.#limits.ip.windowMs),
    ]);
    const waits: number[] = [];
    if (account.count > this.#limits.account.maxFailures) waits.push(account.resetInMs);
    if (ip.count > this.#limits.ip.maxFailures) waits.push(ip.resetInMs);
    if (waits.length > 0) {
      return {
        ok: false,
        reason: "throttled",
        retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)),
      };
    }

    const found = email === "" ? null : await this.#users.findCredentials(email);
    const matches =
      passwordLength(password) > PASSWORD_POLICY.maxLength
        ? false // refused unhashed: an attacker must not make us hash megabytes
        : found
          ? await this.#hasher.verify(found.passwordHash, password)
          : await this.#hasher.verifyDummy(password);
    if (!found || !matches) return { ok: false, reason: "invalid" };

    // The right password: the slots it took were not failures, so give them back.
    await Promise.all([this.#throttle.clear(accountKey), this.#throttle.release(ipKey)]);
    // Only someone who knows the password learns that the account is disabled.
    if (found.user.disabledAt !== null) return { ok: false, reason: "disabled" };

    if (this.#hasher.needsRehash(found.passwordHash)) {
      await this.#users.storePasswordHash(found.user.id, await this.#hasher.hash(password), {
        changed: false,
      });
    }
    return { ok: true, user: await this.#users.recordLogin(found.user.id) };
  }
}

/** Counters are keyed by a digest, so the store holds no email address or IP in clear. */
function throttleKey(kind: "account" | "ip", value: string): string {
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
        `Too many failed sign-ins. Wait ${seconds} second${seconds === 1 ? "" : "s"} and try again, or reset your password.`,
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
