import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRIVERS, type OpenedStore, openStoreDriver } from "../test-support/store-drivers.js";
import type { SessionChange, SessionStore } from "../types.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newKey = () => randomBytes(32).toString("hex");

function change(overrides: Partial<SessionChange> = {}): SessionChange {
  const now = Date.now();
  return {
    mode: "update",
    set: {},
    unset: [],
    createdAt: now,
    lastActivity: now,
    expiresAt: now + 60_000,
    deadline: now + 120_000,
    ...overrides,
  };
}

async function create(store: SessionStore, set: Record<string, string>, extra: Partial<SessionChange> = {}) {
  const key = newKey();
  await store.write(key, change({ mode: "create", set, ...extra }));
  return key;
}

for (const driver of DRIVERS) {
  describe(`SessionStore conformance: ${driver}`, () => {
    let opened: OpenedStore;
    let store: SessionStore;

    beforeAll(async () => {
      opened = await openStoreDriver(driver, `sess_${driver.replace(/\W/g, "_")}`);
      store = opened.store;
    });
    afterAll(async () => opened?.close());

    it("returns null for a session it never saw", async () => {
      expect(await store.read(newKey())).toBeNull();
    });

    it("creates a session and reads back its fields, user and times", async () => {
      const before = Date.now();
      const key = await create(store, { "k:a": "1", "k:b": "2" }, { userId: "u-1" });
      const record = await store.read(key);
      expect(record?.data).toEqual({ "k:a": "1", "k:b": "2" });
      expect(record?.userId).toBe("u-1");
      expect(record?.createdAt).toBeGreaterThanOrEqual(before);
      expect(record?.expiresAt).toBeGreaterThan(Date.now() + 50_000);
    });

    it("updates only the fields named, keeping the rest and the creation time", async () => {
      const createdAt = Date.now() - 5_000;
      const key = await create(store, { "k:a": "1", "k:b": "2" }, { createdAt });
      expect(await store.write(key, change({ set: { "k:c": "3" }, unset: ["k:a"] }))).toBe(true);
      const record = await store.read(key);
      expect(record?.data).toEqual({ "k:b": "2", "k:c": "3" });
      expect(record?.createdAt).toBe(createdAt);
    });

    it("keeps every field when concurrent writes change different fields", async () => {
      const key = await create(store, { "k:base": "0" });
      const fields = ["a", "b", "c", "d", "e", "f"];
      await Promise.all(fields.map((f) => store.write(key, change({ set: { [`k:${f}`]: f } }))));
      const data = (await store.read(key))?.data ?? {};
      expect(Object.keys(data).sort()).toEqual(["k:a", "k:b", "k:base", "k:c", "k:d", "k:e", "k:f"]);
    });

    it("does not recreate a destroyed session when a late update arrives", async () => {
      const key = await create(store, { "k:a": "1" }, { userId: "late" });
      await store.destroy(key);
      expect(await store.write(key, change({ set: { "k:b": "2" } }))).toBe(false);
      expect(await store.read(key)).toBeNull();
      expect(await opened.raw(key)).toBe("");
    });

    it("forgets a session once its expiry passes", async () => {
      const key = await create(store, { "k:a": "1" }, { expiresAt: Date.now() + 150 });
      expect(await store.read(key)).not.toBeNull();
      await sleep(300);
      expect(await store.read(key)).toBeNull();
      expect(await store.write(key, change({ set: { "k:b": "2" } }))).toBe(false);
    });

    it("touch moves the expiry without rewriting data, and never revives a gone session", async () => {
      const key = await create(store, { "k:a": "1" }, { expiresAt: Date.now() + 200 });
      const rawBefore = JSON.parse(await opened.raw(key)) as Record<string, unknown>;
      expect(await store.touch(key, { lastActivity: Date.now(), expiresAt: Date.now() + 60_000 })).toBe(true);
      await sleep(300);
      const record = await store.read(key);
      expect(record?.data).toEqual({ "k:a": "1" });
      expect(record?.expiresAt).toBeGreaterThan(Date.now() + 50_000);
      const rawAfter = JSON.parse(await opened.raw(key)) as Record<string, unknown>;
      // The stored data itself is byte-for-byte what it was.
      expect(rawAfter.payload ?? rawAfter["d:k:a"]).toEqual(rawBefore.payload ?? rawBefore["d:k:a"]);
      const gone = newKey();
      expect(await store.touch(gone, { lastActivity: Date.now(), expiresAt: Date.now() + 60_000 })).toBe(
        false,
      );
      expect(await store.read(gone)).toBeNull();
    });

    it("lists a user's sessions and ends them all at once, leaving other users alone", async () => {
      const user = `u-${randomBytes(4).toString("hex")}`;
      const other = `o-${randomBytes(4).toString("hex")}`;
      const mine = [await create(store, {}, { userId: user }), await create(store, {}, { userId: user })];
      const theirs = await create(store, {}, { userId: other });
      const listed = await store.listUserSessions(user);
      expect(listed.map((s) => s.storeKey).sort()).toEqual([...mine].sort());
      expect(listed.every((s) => s.userId === user && s.expiresAt > Date.now())).toBe(true);
      expect(await store.destroyUserSessions(user)).toBe(2);
      for (const key of mine) expect(await store.read(key)).toBeNull();
      expect(await store.listUserSessions(user)).toEqual([]);
      expect(await store.read(theirs)).not.toBeNull();
    });

    it("lists each session's device field as stored, and null for a session without one", async () => {
      const user = `d-${randomBytes(4).toString("hex")}`;
      const withDevice = await create(store, { "a:device": "e1.kid.sealed", "k:a": "1" }, { userId: user });
      const without = await create(store, { "k:a": "1" }, { userId: user });
      const listed = await store.listUserSessions(user);
      const byKey = new Map(listed.map((s) => [s.storeKey, s.device]));
      expect(byKey.get(withDevice)).toBe("e1.kid.sealed");
      expect(byKey.get(without)).toBeNull();
    });

    it("ends one session of a user and lists the rest", async () => {
      const user = `e-${randomBytes(4).toString("hex")}`;
      const [one, two] = [
        await create(store, {}, { userId: user }),
        await create(store, {}, { userId: user }),
      ];
      await store.destroy(one);
      expect(await store.read(one)).toBeNull();
      expect((await store.listUserSessions(user)).map((s) => s.storeKey)).toEqual([two]);
    });

    it("moves a session between users' indexes when its user changes, and drops it on destroy", async () => {
      const [a, b] = [`a-${randomBytes(4).toString("hex")}`, `b-${randomBytes(4).toString("hex")}`];
      const key = await create(store, {}, { userId: a });
      await store.write(key, change({ userId: b }));
      expect(await store.listUserSessions(a)).toEqual([]);
      expect((await store.listUserSessions(b)).map((s) => s.storeKey)).toEqual([key]);
      await store.write(key, change({ set: { "k:x": "1" } }));
      expect((await store.read(key))?.userId).toBe(b);
      await store.destroy(key);
      expect(await store.listUserSessions(b)).toEqual([]);
      expect(await store.destroyUserSessions(b)).toBe(0);
    });

    it("does not list a session that expired while still indexed", async () => {
      const user = `x-${randomBytes(4).toString("hex")}`;
      await create(store, {}, { userId: user, expiresAt: Date.now() + 100 });
      const live = await create(store, {}, { userId: user });
      await sleep(250);
      expect((await store.listUserSessions(user)).map((s) => s.storeKey)).toEqual([live]);
    });

    it("sweeps expired sessions and keeps live ones", async () => {
      const expired = await create(store, { "k:a": "1" }, { expiresAt: Date.now() + 100 });
      const live = await create(store, { "k:a": "1" });
      await sleep(250);
      const swept = await store.sweepExpired();
      expect(await opened.raw(expired)).toBe("");
      expect(await store.read(live)).not.toBeNull();
      if (driver === "redis") expect(swept).toBe(0);
      else expect(swept).toBeGreaterThanOrEqual(1);
    });
  });
}
