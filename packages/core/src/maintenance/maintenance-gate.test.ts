import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMaintenanceGate } from "./maintenance-gate.js";
import {
  type OpenedMaintenanceStore,
  openMaintenanceStoreFor,
} from "./test-support/maintenance-store-drivers.js";
import { ALL_APPS, type MaintenanceState } from "./types.js";

const state = (scope: string, message = "Deploying updates..."): MaintenanceState => ({
  scope,
  message,
  retryAfterSeconds: 60,
  secretHash: null,
  bypassCookieHash: null,
  allow: [],
  pauseWorkers: false,
  since: 1,
});

describe("maintenance gate", () => {
  let opened: OpenedMaintenanceStore;
  let clock = 0;
  const now = () => clock;
  beforeEach(async () => {
    opened = await openMaintenanceStoreFor("database-sqlite");
    clock = 1_000_000;
  });
  afterEach(() => opened.cleanup());

  it("applies an app's own record before the all-apps one, and neither to other apps", async () => {
    await opened.store.put(state(ALL_APPS, "everything"));
    await opened.store.put(state("flow", "just flow"));
    const gate = createMaintenanceGate(opened.store, { now });
    expect((await gate.stateFor("flow"))?.message).toBe("just flow");
    expect((await gate.stateFor("links"))?.message).toBe("everything");
    await opened.store.remove(ALL_APPS);
    clock += 10_000;
    expect(await gate.stateFor("links")).toBeUndefined();
  });

  it("reuses a read for the ttl, then sees the change (marg down reaches a process within a second)", async () => {
    const gate = createMaintenanceGate(opened.store, { now, ttlMs: 1000, maxStaleMs: 1000 });
    expect(await gate.stateFor("flow")).toBeUndefined();
    await opened.store.put(state(ALL_APPS));
    clock += 500;
    expect(await gate.stateFor("flow")).toBeUndefined();
    clock += 600;
    expect(await gate.stateFor("flow")).toMatchObject({ scope: ALL_APPS });
  });

  it("serves a slightly stale read while it fetches a fresh one, but never a long-stale one", async () => {
    const gate = createMaintenanceGate(opened.store, { now, ttlMs: 1000, maxStaleMs: 5000 });
    await gate.current();
    await opened.store.put(state(ALL_APPS));
    clock += 2000;
    expect(await gate.stateFor("flow")).toBeUndefined();
    // The background read has landed by the next request.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await gate.stateFor("flow")).toMatchObject({ scope: ALL_APPS });
    await opened.store.removeAll();
    clock += 60_000;
    expect(await gate.stateFor("flow")).toBeUndefined();
  });

  it("keeps the last known state when the store fails, and keeps the site up when none was ever known", async () => {
    await opened.store.put(state(ALL_APPS));
    const warnings: string[] = [];
    const logger = { warn: (_: unknown, message: string) => warnings.push(message), info: () => undefined };
    const gate = createMaintenanceGate(opened.store, { now, ttlMs: 1000, maxStaleMs: 1000, logger });
    expect(await gate.stateFor("flow")).toMatchObject({ scope: ALL_APPS });
    await opened.breakBackend();
    clock += 2000;
    expect(await gate.stateFor("flow")).toMatchObject({ scope: ALL_APPS });
    clock += 2000;
    expect(await gate.stateFor("flow")).toMatchObject({ scope: ALL_APPS });
    expect(warnings).toHaveLength(1);

    const fresh = createMaintenanceGate(opened.store, { now });
    expect(await fresh.stateFor("flow")).toBeUndefined();
  });
});
