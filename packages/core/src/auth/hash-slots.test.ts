import { describe, expect, it } from "vitest";
import { defaultHashConcurrency, HashSlots } from "./hash-slots.js";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "./password-hasher.js";

/** A job the test finishes by hand, recording when it started. */
function gate() {
  let open = () => {};
  const done = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { done, open: () => open() };
}

describe("HashSlots", () => {
  it("runs at most `limit` jobs at once and starts the waiting ones in arrival order", async () => {
    const slots = new HashSlots(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect([started, slots.busy]).toEqual([[0, 1], 2]);
    gates[1]?.open();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect([started, slots.busy]).toEqual([[0, 1, 2], 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect([started, slots.busy]).toEqual([[0, 1, 2, 3], 0]);
  });

  it("gives the slot back when a job fails", async () => {
    const slots = new HashSlots(1);
    await expect(slots.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await slots.run(async () => "next")).toBe("next");
    expect(slots.busy).toBe(0);
  });

  it("refuses a limit below one", () => {
    expect(() => new HashSlots(0)).toThrow(RangeError);
    expect(() => new PasswordHasher({ maxConcurrent: 1.5 })).toThrow(RangeError);
  });

  it("leaves one core for the event loop by default, and never goes below one", () => {
    expect(defaultHashConcurrency()).toBeGreaterThanOrEqual(1);
  });

  it("keeps every verify correct when hashes queue for one slot", async () => {
    const hasher = new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS, maxConcurrent: 1 });
    const hash = await hasher.hash("queued passphrase");
    const answers = await Promise.all(
      ["queued passphrase", "wrong passphrase", "queued passphrase"].map((p) => hasher.verify(hash, p)),
    );
    expect(answers).toEqual([true, false, true]);
  });
});
