import { describe, expect, it } from "vitest";
import { backoffDelay, reconnectOnReadonly } from "./retry-policy.js";

describe("backoffDelay", () => {
  it("doubles from the base delay, give or take 20% jitter", () => {
    for (const [attempt, full] of [
      [1, 100],
      [2, 200],
      [4, 800],
    ] as const) {
      const delay = backoffDelay(attempt, 100, 5000);
      expect(delay).toBeGreaterThanOrEqual(full * 0.8);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });

  it("never waits longer than the cap, however many attempts failed", () => {
    for (const attempt of [10, 100, 10_000])
      expect(backoffDelay(attempt, 100, 5000)).toBeLessThanOrEqual(5000);
  });
});

describe("reconnectOnReadonly", () => {
  it("reconnects and resends on READONLY (a primary demoted by a failover), on nothing else", () => {
    expect(reconnectOnReadonly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadonly(new Error("WRONGTYPE Operation against a key holding the wrong kind"))).toBe(
      false,
    );
  });
});
