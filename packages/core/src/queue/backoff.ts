import type { BackoffSpec } from "./types.js";

/** Used when neither the job nor the dispatch names a backoff: 1 s, 2 s, 4 s, … */
export const DEFAULT_BACKOFF: BackoffSpec = Object.freeze({ type: "exponential", delayMs: 1000 });

/** Longest wait between tries, so exponential backoff cannot park a job for weeks. */
export const MAX_BACKOFF_MS = 24 * 60 * 60 * 1000;

/**
 * The wait before retry number `retry` (1 = the first retry), the same on every
 * driver: BullMQ calls this through its custom backoff strategy.
 */
export function backoffDelay(backoff: BackoffSpec, retry: number): number {
  const delay = backoff.type === "fixed" ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, retry - 1);
  return Math.min(Math.round(delay), MAX_BACKOFF_MS);
}
