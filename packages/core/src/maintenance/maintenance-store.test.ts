import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MAINTENANCE_DRIVERS,
  type OpenedMaintenanceStore,
  openMaintenanceStoreFor,
} from "./test-support/maintenance-store-drivers.js";
import { ALL_APPS, type MaintenanceState } from "./types.js";

const state = (scope: string, overrides: Partial<MaintenanceState> = {}): MaintenanceState => ({
  scope,
  message: "Deploying updates...",
  retryAfterSeconds: 60,
  secretHash: null,
  bypassCookieHash: null,
  allow: [],
  pauseWorkers: false,
  since: 1_700_000_000_000,
  ...overrides,
});

// One conformance suite for every driver, so phase 1 and the fleet behave the same.
for (const driver of MAINTENANCE_DRIVERS) {
  describe(`maintenance store (${driver})`, () => {
    let opened: OpenedMaintenanceStore;
    beforeEach(async () => {
      opened = await openMaintenanceStoreFor(driver);
    });
    afterEach(() => opened.cleanup());

    it("starts with nothing down", async () => {
      expect(await opened.store.list()).toEqual([]);
    });

    it("keeps one record per scope, the latest `down` replacing the earlier one", async () => {
      await opened.store.put(state(ALL_APPS));
      await opened.store.put(state("flow", { message: "first" }));
      await opened.store.put(state("flow", { message: "second", allow: ["10.0.0.0/8"], pauseWorkers: true }));
      const records = (await opened.store.list()).sort((a, b) => a.scope.localeCompare(b.scope));
      expect(records).toEqual([
        state(ALL_APPS),
        state("flow", { message: "second", allow: ["10.0.0.0/8"], pauseWorkers: true }),
      ]);
    });

    it("removes one scope, saying whether it was there", async () => {
      await opened.store.put(state("flow"));
      await opened.store.put(state("links"));
      expect(await opened.store.remove("flow")).toBe(true);
      expect(await opened.store.remove("flow")).toBe(false);
      expect((await opened.store.list()).map((record) => record.scope)).toEqual(["links"]);
    });

    it("removes everything at once and counts it", async () => {
      await opened.store.put(state(ALL_APPS));
      await opened.store.put(state("links"));
      expect(await opened.store.removeAll()).toBe(2);
      expect(await opened.store.list()).toEqual([]);
      expect(await opened.store.removeAll()).toBe(0);
    });

    it("ignores a record it cannot read instead of failing every request", async () => {
      await opened.store.put(state("flow"));
      await opened.writeGarbage();
      expect((await opened.store.list()).map((record) => record.scope)).toEqual(["flow"]);
    });

    it("fails with E_MAINTENANCE_STORE_UNAVAILABLE when its backend is gone", async () => {
      await opened.breakBackend();
      await expect(opened.store.list()).rejects.toMatchObject({ code: "E_MAINTENANCE_STORE_UNAVAILABLE" });
    });
  });
}
