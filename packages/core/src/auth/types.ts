/** Returns the current time in epoch milliseconds; injectable so tests control expiry. */
export type Clock = () => number;

/**
 * A user as the rest of MARG sees it. The password hash is deliberately absent, so a
 * user object can go into a session, a view or a log line without leaking it.
 */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly avatarPath: string | null;
  /** Epoch ms when an administrator disabled the account; null while it may sign in. */
  readonly disabledAt: number | null;
  readonly lastLoginAt: number | null;
  /** Epoch ms of the last password change: sessions older than this can be ended. */
  readonly passwordChangedAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One page of users. `page` counts from 1. */
export interface UserPage {
  readonly items: readonly User[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pages: number;
}

/** The state of one throttle counter. */
export interface ThrottleCounter {
  /** Hits counted in the current window. */
  readonly count: number;
  /** Milliseconds until the window ends and the counter starts again from zero. */
  readonly resetInMs: number;
}

/**
 * Fixed-window counters shared by every server, so five failures spread over five
 * servers still lock the account. The first hit of a key opens a window of
 * `windowMs`; later hits do not extend it; after it the key counts from zero.
 * Every method is atomic on its own.
 */
export interface ThrottleStore {
  /** Adds one to `key` and returns the count including this hit. */
  hit(key: string, windowMs: number): Promise<ThrottleCounter>;
  /** Reads `key` without counting; null when it has no hits in a live window. */
  peek(key: string): Promise<ThrottleCounter | null>;
  /** Takes back one hit (an attempt that succeeded); never below zero, window unchanged. */
  release(key: string): Promise<void>;
  /** Forgets `key` entirely. */
  clear(key: string): Promise<void>;
}
