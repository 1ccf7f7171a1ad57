import type { MargConfig } from "../config/index.js";
import {
  createDatabases,
  type Databases,
  type MigrationSet,
  type Seeder,
  type SeederEntry,
} from "../db/index.js";
import { MargError } from "../errors/index.js";
import { coreMigrations } from "./core-migrations.js";
import { coreSeeders } from "./core-seeders.js";
import type { Kernel } from "./types.js";

/**
 * Where `migrate()` and `seed()` find their work: core's sets and seeders, then
 * each app's (its definition's `migrations` and `seeders`), each paired with the
 * config whose databases it lands in.
 */
export interface CollectedMigrations {
  readonly sets: readonly MigrationSet[];
  /** The config whose connections a set uses: the app's own for an app's set. */
  configFor(set: MigrationSet): MargConfig;
}

function isMigrationSet(value: unknown): value is MigrationSet {
  const set = value as Partial<MigrationSet> | null;
  return (
    typeof set?.source === "string" &&
    ["app", "rbac", "business"].includes(String(set.connection)) &&
    typeof set.migrations === "object" &&
    set.migrations !== null
  );
}

function isSeeder(value: unknown): value is Seeder {
  const seeder = value as Partial<Seeder> | null;
  return typeof seeder?.name === "string" && typeof seeder.run === "function";
}

/**
 * Core's sets for rbac/business run once with the installation's config; core's sets
 * for `app` and each app's own sets run with that app's config.
 */
export async function collectMigrationSets(
  kernel: Kernel,
  appIds: readonly string[],
): Promise<CollectedMigrations> {
  const installation = kernel.config();
  // Each set is copied, so one set object used by several apps maps to each app's config.
  const owned: { set: MigrationSet; config: MargConfig }[] = [];
  for (const set of coreMigrations) {
    if (set.connection !== "app") owned.push({ set: { ...set }, config: installation });
  }
  for (const id of appIds) {
    const app = await kernel.definition(id);
    const config = await kernel.appConfig(id);
    const appSets = app.migrations ?? [];
    if (!Array.isArray(appSets) || !appSets.every(isMigrationSet)) {
      throw new MargError(
        "E_APP_UNKNOWN",
        `App "${app.id}" exports migrations that are not { source, connection: app|rbac|business, migrations } sets.`,
      );
    }
    const shared = coreMigrations.filter((set) => set.connection === "app");
    for (const set of [...shared, ...appSets]) owned.push({ set: { ...set }, config });
  }
  const owners = new Map(owned.map(({ set, config }) => [set, config]));
  return {
    sets: owned.map(({ set }) => set),
    configFor: (set) => owners.get(set) ?? installation,
  };
}

/** Seeders in run order: core's first (installation config), then each app's `seeders`. */
export async function collectSeeders(
  kernel: Kernel,
  appIds: readonly string[],
  databasesFor: (config: MargConfig) => Databases,
): Promise<SeederEntry[]> {
  const installation = kernel.config();
  const entries: SeederEntry[] = coreSeeders.map((seeder) => ({
    seeder,
    source: "core",
    config: installation,
    databases: databasesFor(installation),
  }));
  for (const id of appIds) {
    const app = await kernel.definition(id);
    const config = await kernel.appConfig(id);
    const seeders: unknown = app.seeders ?? [];
    if (!Array.isArray(seeders) || !seeders.every(isSeeder)) {
      throw new MargError(
        "E_APP_UNKNOWN",
        `App "${app.id}" exports seeders that are not { name, run(ctx) } objects.`,
      );
    }
    for (const seeder of seeders)
      entries.push({ seeder, source: app.id, config, databases: databasesFor(config) });
  }
  return entries;
}

/**
 * One primary-only Databases per config (migrations and seeders never read a
 * replica), opened on demand and closed together.
 */
export function openDatabasesPerConfig(): {
  databasesFor(config: MargConfig): Databases;
  destroy(): Promise<void>;
} {
  const opened = new Map<MargConfig, Databases>();
  return {
    databasesFor(config) {
      let databases = opened.get(config);
      if (databases === undefined) {
        databases = createDatabases(config, { readReplicas: false });
        opened.set(config, databases);
      }
      return databases;
    },
    async destroy() {
      await Promise.all([...opened.values()].map((databases) => databases.destroy()));
      opened.clear();
    },
  };
}
