import type { SessionStore, SessionSummary } from "./types.js";

/**
 * What services do with sessions outside a request: "your sessions" pages, "sign
 * out everywhere", and ending a disabled user's sessions. Takes the store, so it
 * works the same on Redis and the database, from any app or the worker.
 */
export class SessionDirectory {
  readonly #store: SessionStore;

  constructor(store: SessionStore) {
    this.#store = store;
  }

  /** A user's live sessions, most recently active first. */
  listForUser(userId: string): Promise<SessionSummary[]> {
    return this.#store.listUserSessions(userId);
  }

  /**
   * Ends every session of a user on every app at once (the store is shared):
   * "sign out everywhere", or disabling a user. Returns how many ended.
   */
  destroyAllForUser(userId: string): Promise<number> {
    return this.#store.destroyUserSessions(userId);
  }

  /** Ends one session, by the store key a listing showed ("sign out that device"). */
  destroy(storeKey: string): Promise<void> {
    return this.#store.destroy(storeKey);
  }
}
