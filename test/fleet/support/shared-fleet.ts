/** The fleet fleet-global-setup.ts started, as the test files of the `fleet` project see it. */
import { inject } from "vitest";
import { type LoopbackInventory, readLoopbackInventory } from "./loopback-inventory.js";
import { attachRenderedFleet, type RenderedFleet } from "./rendered-fleet.js";
import { readSmtpSpool, type SmtpBox } from "./smtp-box.js";

export interface SharedFleet {
  readonly inventory: LoopbackInventory;
  readonly fleet: RenderedFleet;
  /** The mails the fleet's SMTP server accepted (its spool folder). */
  readonly smtp: SmtpBox;
}

export function sharedFleet(): SharedFleet {
  const info = inject("fleet");
  if (info === undefined)
    throw new Error("no shared fleet: run this file through vitest's fleet project (vitest.config.ts)");
  const inventory = readLoopbackInventory(info.inventoryFile);
  return {
    inventory,
    fleet: attachRenderedFleet(info.dir, inventory),
    smtp: readSmtpSpool(info.smtpSpool, info.smtpPort),
  };
}
