import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuthTestDatabase,
  createManualClock,
  DIALECTS,
  openAuthTestDatabase,
} from "../auth-test-support.js";
import { DatabaseThrottleStore } from "./database-throttle-store.js";

for (const dialect of DIALECTS) {
  describe(`DatabaseThrottleStore on ${dialect}`, () => {
    let database: AuthTestDatabase;
    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "throttle_db");
    });
    afterAll(() => database.close());

    it("prunes counters whose window has ended and keeps live ones", async () => {
      const clock = createManualClock();
      const store = new DatabaseThrottleStore(database.db, { clock });
      await store.hit("short", 1_000);
      await store.hit("long", 60_000);
      clock.advance(5_000);
      expect(await store.prune()).toBe(1);
      const keys = await database.db.selectFrom("login_attempts").select("throttle_key").execute();
      expect(keys.map((row) => row.throttle_key)).toEqual(["long"]);
    });

    it("restarts an ended window in place, with a fresh expiry", async () => {
      const clock = createManualClock();
      const store = new DatabaseThrottleStore(database.db, { clock });
      await store.hit("restart", 1_000);
      await store.hit("restart", 1_000);
      clock.advance(1_000);
      expect(await store.hit("restart", 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    });
  });
}
