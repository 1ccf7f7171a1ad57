import type { SessionChange, SessionRecord, SessionStore, SessionSummary } from "../types.js";

/** Wraps a real store and counts calls, so tests can prove what was (not) written. */
export class CountingStore implements SessionStore {
  readonly calls = { read: 0, write: 0, destroy: 0, touch: 0 };

  constructor(readonly inner: SessionStore) {}

  read(storeKey: string): Promise<SessionRecord | null> {
    this.calls.read++;
    return this.inner.read(storeKey);
  }

  write(storeKey: string, change: SessionChange): Promise<boolean> {
    this.calls.write++;
    return this.inner.write(storeKey, change);
  }

  destroy(storeKey: string): Promise<void> {
    this.calls.destroy++;
    return this.inner.destroy(storeKey);
  }

  touch(storeKey: string, times: { lastActivity: number; expiresAt: number }): Promise<boolean> {
    this.calls.touch++;
    return this.inner.touch(storeKey, times);
  }

  listUserSessions(userId: string): Promise<SessionSummary[]> {
    return this.inner.listUserSessions(userId);
  }

  destroyUserSessions(userId: string): Promise<number> {
    return this.inner.destroyUserSessions(userId);
  }

  sweepExpired(now?: number): Promise<number> {
    return this.inner.sweepExpired(now);
  }

  reset(): void {
    this.calls.read = this.calls.write = this.calls.destroy = this.calls.touch = 0;
  }
}
