/**
 * Counts events over the last minute in one-second buckets: cheap enough to
 * bump on every job, precise enough for `queue:status`.
 */
export class ThroughputMeter {
  readonly #buckets = new Map<number, number>();
  readonly #now: () => number;
  #total = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  record(): void {
    const second = Math.floor(this.#now() / 1000);
    this.#buckets.set(second, (this.#buckets.get(second) ?? 0) + 1);
    this.#total += 1;
    if (this.#buckets.size > 120) this.#prune(second);
  }

  /** Events in the last 60 seconds. */
  lastMinute(): number {
    const second = Math.floor(this.#now() / 1000);
    this.#prune(second);
    let sum = 0;
    for (const count of this.#buckets.values()) sum += count;
    return sum;
  }

  /** Events since the meter was made. */
  get total(): number {
    return this.#total;
  }

  #prune(second: number): void {
    for (const key of this.#buckets.keys()) if (key <= second - 60) this.#buckets.delete(key);
  }
}
