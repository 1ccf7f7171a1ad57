import { createMigrator, runSeeders } from "@marg/core/db";
import type { CliContext } from "../cli-context.js";
import { collectMigrationSets, collectSeeders, openDatabasesPerConfig } from "../migration-sources.js";

/**
 * What `marg dev` does before serving: every pending migration, then the
 * (idempotent) seeders, so a fresh checkout shows demo data and a used one keeps
 * its own. Returns how many migrations ran.
 */
export async function prepareDatabases(
  ctx: CliContext,
  appIds: readonly string[],
  log: (line: string) => void,
): Promise<{ migrated: number }> {
  const collected = await collectMigrationSets(ctx, appIds);
  const opened = openDatabasesPerConfig();
  let migrated = 0;
  try {
    await createMigrator((set) => opened.databasesFor(collected.configFor(set)), collected.sets, {
      onEvent: (event) => {
        if (event.type === "step") migrated += 1;
      },
    }).latest();
    const entries = await collectSeeders(ctx, appIds, opened.databasesFor);
    await runSeeders(entries, { log });
  } finally {
    await opened.destroy();
  }
  return { migrated };
}
