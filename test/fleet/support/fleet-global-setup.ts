/**
 * One rendered fleet for the fleet files that share it (vitest's `fleet` project):
 * started once before them, stopped after, its addresses given to them with
 * `provide` (`sharedFleet()` reads them). Starting a fleet is most of a fleet
 * file's time, so two files starting their own doubled the suite's. The rendered
 * programs run the compiled code (bin/marg-compiled.js), so `npm run build` comes first.
 */
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import type { TestProject } from "vitest/node";
import { buildCompiled } from "../../support/compiled-build.js";
import { writeLoopbackInventory } from "./loopback-inventory.js";
import { type RenderedFleet, run, startRenderedFleet } from "./rendered-fleet.js";
import { startSmtpBox } from "./smtp-box.js";

export interface SharedFleetInfo {
  /** The folder the fleet runs in (inventory.yml, out/, the install root…). */
  readonly dir: string;
  readonly inventoryFile: string;
  /** Where the SMTP server writes each mail it accepts, as JSON. */
  readonly smtpSpool: string;
  readonly smtpPort: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    fleet: SharedFleetInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildCompiled();
  const temp = createTempDir("fleet-shared");
  const smtpSpool = path.join(temp.path, "mail");
  const smtp = await startSmtpBox({ spool: smtpSpool });
  const inventory = await writeLoopbackInventory(temp.path, {
    processManager: "supervisor",
    smtpPort: smtp.port,
  });
  let fleet: RenderedFleet | undefined;
  const teardown = async () => {
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
  try {
    fleet = await startRenderedFleet(temp.path, inventory);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("fleet", { dir: temp.path, inventoryFile: inventory.file, smtpSpool, smtpPort: smtp.port });
  return teardown;
}
