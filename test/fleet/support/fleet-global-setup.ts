/**
 * One rendered fleet for the fleet suites that share it (vitest's `fleet` project,
 * test/fleet/shared-fleet.test.ts): started once, stopped after, its addresses given
 * with `provide` (`sharedFleet()` reads them). Starting a fleet is most of a fleet
 * suite's time, so two suites starting their own doubled the suite's. The rendered
 * programs run the compiled code (bin/marg-compiled.js), so `npm run build` comes first.
 *
 * vitest runs every global setup before the first test file, so awaiting the fleet here
 * held both workers for the minute it takes to start. It starts in the background
 * instead, while the workers run other files; the result goes to `startedFile`, which
 * the fleet file waits for (`fleetStarted()`).
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import type { TestProject } from "vitest/node";
import { buildCompiled } from "../../support/compiled-build.js";
import { writeLoopbackInventory } from "./loopback-inventory.js";
import { type RenderedFleet, run, startRenderedFleet } from "./rendered-fleet.js";
import type { FleetStartResult } from "./shared-fleet.js";
import { startSmtpBox } from "./smtp-box.js";

export interface SharedFleetInfo {
  /** The folder the fleet runs in (inventory.yml, out/, the install root…). */
  readonly dir: string;
  readonly inventoryFile: string;
  /** Where the SMTP server writes each mail it accepts, as JSON. */
  readonly smtpSpool: string;
  readonly smtpPort: number;
  /** Written once the fleet is up or could not start (a FleetStartResult, shared-fleet.ts). */
  readonly startedFile: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    fleet: SharedFleetInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const temp = createTempDir("fleet-shared");
  const smtpSpool = path.join(temp.path, "mail");
  const smtp = await startSmtpBox({ spool: smtpSpool });
  const inventory = await writeLoopbackInventory(temp.path, {
    processManager: "supervisor",
    smtpPort: smtp.port,
  });
  let fleet: RenderedFleet | undefined;
  const startedFile = path.join(temp.path, "fleet-started.json");
  const settle = (result: FleetStartResult) => {
    // Whole or not at all: the fleet file polls for this name.
    writeFileSync(`${startedFile}.tmp`, JSON.stringify(result));
    renameSync(`${startedFile}.tmp`, startedFile);
  };
  const starting = (async () => {
    await buildCompiled();
    fleet = await startRenderedFleet(temp.path, inventory);
  })().then(
    () => settle({ started: true }),
    (error: unknown) =>
      settle({
        started: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
  const teardown = async () => {
    await starting;
    await fleet?.stop();
    await smtp.close();
    const sql = [
      ...inventory.databases.map((name) => `DROP DATABASE IF EXISTS \`${name}\`;`),
      `DROP USER IF EXISTS '${inventory.users.app}'@'127.0.0.1';`,
      `DROP USER IF EXISTS '${inventory.users.backup}'@'localhost';`,
    ].join("\n");
    await run("mariadb", ["--protocol=tcp", "-h", "127.0.0.1", "-u", "root"], { input: sql });
    temp.remove();
  };
  project.provide("fleet", {
    dir: temp.path,
    inventoryFile: inventory.file,
    smtpSpool,
    smtpPort: smtp.port,
    startedFile,
  });
  return teardown;
}
