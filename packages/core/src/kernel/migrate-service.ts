import {
  createMigrator,
  type MargMigrator,
  type MigrationStatusRow,
  type MigrationStep,
  runSeeders,
  type SeedResult,
} from "../db/index.js";
import { collectMigrationSets, collectSeeders, openDatabasesPerConfig } from "./migration-sources.js";
import type { Kernel, KernelMigrator, MigrateOptions, SeedOptions } from "./types.js";

/**
 * Collects the sets (loading each app's definition and config, so a broken app fails
 * here, before any database is touched) and returns their migrator.
 */
export async function openMigrator(kernel: Kernel, options: MigrateOptions = {}): Promise<KernelMigrator> {
  const collected = await collectMigrationSets(kernel, options.apps ?? kernel.selectApps());
  const opened = openDatabasesPerConfig();
  const migrator = createMigrator(
    (set) => opened.databasesFor(collected.configFor(set)),
    collected.sets,
    options.onEvent === undefined ? {} : { onEvent: options.onEvent },
  );
  return {
    latest: () => migrator.latest(),
    rollback: (rollback) => migrator.rollback(rollback),
    status: () => migrator.status(),
    close: () => opened.destroy(),
  };
}

async function withMigrator<T>(
  kernel: Kernel,
  options: MigrateOptions,
  use: (migrator: MargMigrator) => Promise<T>,
): Promise<T> {
  const migrator = await openMigrator(kernel, options);
  try {
    return await use(migrator);
  } finally {
    await migrator.close();
  }
}

export function migrateLatest(kernel: Kernel, options: MigrateOptions = {}): Promise<MigrationStep[]> {
  return withMigrator(kernel, options, (migrator) => migrator.latest());
}

export function migrationStatus(
  kernel: Kernel,
  options: { readonly apps?: readonly string[] } = {},
): Promise<MigrationStatusRow[]> {
  return withMigrator(kernel, options, (migrator) => migrator.status());
}

export async function seedDatabases(kernel: Kernel, options: SeedOptions = {}): Promise<SeedResult[]> {
  const opened = openDatabasesPerConfig();
  const seeded: SeedResult[] = [];
  try {
    const collected = await collectSeeders(kernel, options.apps ?? kernel.selectApps(), opened.databasesFor);
    const entries =
      options.demo === false ? collected.filter((entry) => entry.seeder.demo !== true) : collected;
    await runSeeders(entries, {
      ...(options.log === undefined ? {} : { log: options.log }),
      onEvent: ({ type: _type, ...result }) => {
        seeded.push(result);
        options.onEvent?.(result);
      },
    });
    return seeded;
  } finally {
    await opened.destroy();
  }
}
