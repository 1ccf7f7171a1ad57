import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { type Fleet, resolveFleet } from "../fleet/fleet.js";
import type { Inventory } from "../inventory/inventory-schema.js";
import { type LoadedInventory, loadInventory } from "../inventory/load-inventory.js";
import { renderFleet } from "../render/render-fleet.js";
import type { RenderedFile } from "../render/types.js";
import { completeSecrets, type FleetSecrets } from "../secrets/fleet-secrets.js";
import { writeRenderedFiles } from "../write/write-rendered.js";

/** The repository root (this file is packages/deploy/src/testing/). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");

/** The seed's four phases, as example inventories under deploy/inventories/. */
export const EXAMPLES = ["phase1-laptop", "phase2-four-servers", "phase3-horizontal", "phase4-ha"] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export function examplePath(name: ExampleName): string {
  return path.join(REPO_ROOT, "deploy", "inventories", `${name}.yml`);
}

export function loadExample(name: ExampleName): LoadedInventory {
  return loadInventory(examplePath(name));
}

/**
 * An example fleet with changes a test needs (certificate paths, loopback
 * addresses, free ports): the inventory is copied, changed, and resolved again.
 */
export function tweakExample(name: ExampleName, change: (inventory: Inventory) => void): Fleet {
  const inventory = structuredClone(loadExample(name).inventory);
  change(inventory);
  return resolveFleet(inventory);
}

export interface RenderedFleet {
  readonly fleet: Fleet;
  readonly secrets: FleetSecrets;
  readonly files: readonly RenderedFile[];
  /** The output folder the files were written to. */
  readonly dir: string;
  /** Absolute path of a rendered file, e.g. file("redis-1/etc/redis/redis.conf"). */
  file(relative: string): string;
  remove(): void;
}

/** Renders a fleet with fresh secrets and writes it to a temp folder. */
export function renderToTemp(fleet: Fleet, label = "render"): RenderedFleet {
  const { secrets } = completeSecrets();
  const files = renderFleet(fleet, secrets);
  const temp = createTempDir(`deploy-${label}`);
  const dir = path.join(temp.path, "out");
  writeRenderedFiles(files, { out: dir });
  return {
    fleet,
    secrets,
    files,
    dir,
    file: (relative) => path.join(dir, relative),
    remove: temp.remove,
  };
}

/** Points a fleet's loopback-run servers at distinct 127.0.0.x addresses, `first` getting 127.0.0.1. */
export function useLoopbackAddresses(inventory: Inventory, first: string): void {
  let next = 2;
  for (const server of inventory.servers) {
    server.address = server.name === first ? "127.0.0.1" : `127.0.0.${next++}`;
  }
}

/** Renders an example in memory with fresh secrets. */
export function renderExample(name: ExampleName, change?: (inventory: Inventory) => void) {
  const fleet = change === undefined ? loadExample(name).fleet : tweakExample(name, change);
  const { secrets } = completeSecrets();
  const files = renderFleet(fleet, secrets);
  return {
    fleet,
    secrets,
    files,
    /** The content of `server/absolute/path`; throws (naming what exists) when it was not rendered. */
    content(relative: string): string {
      const file = files.find((candidate) => candidate.path === relative);
      if (file === undefined)
        throw new Error(`${relative} was not rendered; have: ${files.map((f) => f.path).join(", ")}`);
      return file.content;
    },
    has: (relative: string) => files.some((file) => file.path === relative),
  };
}
