/** The fleet fleet-global-setup.ts started, as the test files of the `fleet` project see it. */
import { existsSync, readFileSync } from "node:fs";
import { inject } from "vitest";
import { type LoopbackInventory, readLoopbackInventory } from "./loopback-inventory.js";
import { attachRenderedFleet, type RenderedFleet } from "./rendered-fleet.js";
import { readSmtpSpool, type SmtpBox } from "./smtp-box.js";

/** Longest a fleet takes to build and start on a busy machine before the suite gives up on it. */
export const FLEET_START_MS = 600_000;

/** What the global setup writes once the fleet is up (or could not start). */
export interface FleetStartResult {
  readonly started: boolean;
  readonly error?: string;
}

export interface SharedFleet {
  readonly inventory: LoopbackInventory;
  readonly fleet: RenderedFleet;
  /** The mails the fleet's SMTP server accepted (its spool folder). */
  readonly smtp: SmtpBox;
}

function providedFleet() {
  const info = inject("fleet");
  if (info === undefined)
    throw new Error("no shared fleet: run this file through vitest's fleet project (vitest.config.ts)");
  return info;
}

export function sharedFleet(): SharedFleet {
  const info = providedFleet();
  const inventory = readLoopbackInventory(info.inventoryFile);
  return {
    inventory,
    fleet: attachRenderedFleet(info.dir, inventory),
    smtp: readSmtpSpool(info.smtpSpool, info.smtpPort),
  };
}

/** Resolves once the global setup's fleet is up; rejects with its error if it could not start. */
export async function fleetStarted(): Promise<void> {
  const { startedFile } = providedFleet();
  const deadline = Date.now() + FLEET_START_MS;
  while (!existsSync(startedFile)) {
    if (Date.now() > deadline) throw new Error(`the shared fleet did not start in ${FLEET_START_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const result = JSON.parse(readFileSync(startedFile, "utf8")) as FleetStartResult;
  if (!result.started) throw new Error(`the shared fleet did not start:\n${result.error ?? "(no error)"}`);
}
