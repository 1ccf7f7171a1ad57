import type { SessionStore } from "../session/types.js";
import type { MargMetrics } from "./types.js";

/**
 * The same store, counting sessions created (first write) and destroyed
 * (sign-out, id regeneration, sign out everywhere) into `metrics`.
 */
export function instrumentSessionStore(
  store: SessionStore,
  metrics: MargMetrics,
  driver: "redis" | "database",
): SessionStore {
  return {
    read: (storeKey) => store.read(storeKey),
    async write(storeKey, change) {
      const written = await store.write(storeKey, change);
      if (written && change.mode === "create") metrics.sessionsCreated.inc({ driver });
      return written;
    },
    async destroy(storeKey) {
      await store.destroy(storeKey);
      metrics.sessionsDestroyed.inc({ driver });
    },
    touch: (storeKey, times) => store.touch(storeKey, times),
    listUserSessions: (userId) => store.listUserSessions(userId),
    async destroyUserSessions(userId) {
      const count = await store.destroyUserSessions(userId);
      if (count > 0) metrics.sessionsDestroyed.inc({ driver }, count);
      return count;
    },
    sweepExpired: (now) => store.sweepExpired(now),
  };
}
