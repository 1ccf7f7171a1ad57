import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import { HashSlots } from "./hash-slots.js";

/** Argon2id cost parameters. `memoryCost` is in KiB. */
export interface Argon2Params {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/**
 * Production cost: OWASP's first Argon2id setting (m=19 MiB, t=2, p=1), which RFC 9106
 * and OWASP rate as equal in strength to their heavier options. Chosen over m=64 MiB
 * because phase 1 runs every app on a two-core laptop or small VM: each sign-in holds
 * its memory for ~20–40 ms on one of libuv's four threads, so four concurrent
 * sign-ins cost ~76 MiB instead of ~256 MiB. Hashes carry their parameters, so raising
 * these later rehashes each user at their next sign-in (see `needsRehash`).
 */
export const ARGON2_PRODUCTION_PARAMS: Argon2Params = Object.freeze({
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

/** Cheap parameters for test suites only: they make thousands of hashes a second. */
export const ARGON2_INSECURE_TEST_PARAMS: Argon2Params = Object.freeze({
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
});

// PHC string; argon2's writers differ in parameter order (`m,t,p` or `m,p,t`).
const PHC = /^\$argon2id\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const ARGON2_VERSION = 0x13;

/**
 * Hashes and checks passwords with Argon2id. Passwords are NFKC-normalised first
 * (NIST 800-63B) so the same password typed on two keyboards matches.
 *
 * @example
 * const hasher = new PasswordHasher();
 * const hash = await hasher.hash("correct horse battery staple");
 * await hasher.verify(hash, "correct horse battery staple"); // true
 */
export class PasswordHasher {
  readonly params: Argon2Params;
  readonly #dummy: Promise<string>;

  readonly #slots: HashSlots;

  constructor(options: { params?: Argon2Params; maxConcurrent?: number } = {}) {
    this.params = options.params ?? ARGON2_PRODUCTION_PARAMS;
    this.#slots = new HashSlots(options.maxConcurrent);
    // Made up front, so even the first unknown-email sign-in costs one hash, not two.
    this.#dummy = this.hash(randomBytes(18).toString("base64url"));
    this.#dummy.catch(() => {}); // a failure surfaces in verifyDummy, not as an unhandled rejection
  }

  /** A self-describing PHC string: `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
  hash(password: string): Promise<string> {
    const normalized = password.normalize("NFKC");
    return this.#slots.run(() => argon2.hash(normalized, { type: argon2.argon2id, ...this.params }));
  }

  /**
   * True when `password` matches `hash`. The final comparison is constant-time
   * (argon2 uses `timingSafeEqual`); a malformed stored hash counts as no match.
   */
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      const normalized = password.normalize("NFKC");
      return await this.#slots.run(() => argon2.verify(hash, normalized));
    } catch {
      return false;
    }
  }

  /**
   * Spends the same work as a real `verify` against a hash of these parameters and
   * returns false: called when no user has the email, so an attacker cannot tell
   * unknown addresses from wrong passwords by the time an answer takes.
   */
  async verifyDummy(password: string): Promise<false> {
    await this.verify(await this.#dummy, password);
    return false;
  }

  /** True when `hash` was made with another algorithm, version or cost than this hasher's. */
  needsRehash(hash: string): boolean {
    const match = PHC.exec(hash);
    if (!match?.[2]) return true;
    const params = new Map(match[2].split(",").map((pair) => [pair[0], Number(pair.slice(2))]));
    return (
      Number(match[1]) !== ARGON2_VERSION ||
      params.get("m") !== this.params.memoryCost ||
      params.get("t") !== this.params.timeCost ||
      params.get("p") !== this.params.parallelism
    );
  }
}
