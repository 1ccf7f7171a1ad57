import os from "node:os";

/**
 * A counting semaphore for password hashes. Argon2 runs on libuv's thread pool
 * (four threads), so a burst of sign-ins on a one- or two-core server would run
 * four hashes at once and leave the event loop a fifth of a core: every other
 * request — pages, redirects, health checks — would wait behind the storm.
 * Capping hashes at one fewer than the cores this process may use (at least
 * one) keeps a core's worth of time for everything else; sign-ins queue here
 * instead, in arrival order.
 */
export class HashSlots {
  readonly limit: number;
  #busy = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit = defaultHashConcurrency()) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`hash concurrency must be a whole number ≥ 1 (got ${limit})`);
    this.limit = limit;
  }

  /** Hashes running now (never more than `limit`). */
  get busy(): number {
    return this.#busy;
  }

  /** Runs `work` once a slot is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#busy++;
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#busy--;
      else next(); // the slot passes straight to the next in line
    }
  }
}

/** One fewer than the cores this process may run on (its CPU affinity counts), at least one. */
export function defaultHashConcurrency(): number {
  return Math.max(1, os.availableParallelism() - 1);
}
