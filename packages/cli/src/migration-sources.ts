import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { MargAppDefinition } from "@marg/core/app";
import { loadConfig, type MargConfig } from "@marg/core/config";
import {
  createDatabases,
  type Databases,
  type MigrationSet,
  platformMigrations,
  platformSeeders,
  type Seeder,
  type SeederEntry,
} from "@marg/core/db";
import { MargError } from "@marg/core/errors";
import type { CliContext } from "./cli-context.js";

/**
 * Where `marg migrate` and `marg db:seed` find their work: core's platform sets
 * and seeders, then each app of MARG_APPS (its `app` export), each paired with
 * the config whose databases it lands in.
 */
export interface CollectedMigrations {
  readonly sets: readonly MigrationSet[];
  /** The config whose connections a set uses: the app's own for an app's set. */
  configFor(set: MigrationSet): MargConfig;
}

const APP_ID = /^[a-z][a-z0-9-]*$/;

function isAppDefinition(value: unknown): value is MargAppDefinition {
  if (typeof value !== "object" || value === null) return false;
  const app = value as Record<string, unknown>;
  return typeof app.id === "string" && typeof app.title === "string";
}

/**
 * An app folder's entry as this code runs: `src/index.ts` from source (tsx), `dist/index.js`
 * compiled, where no loader could run a .ts file (a server's MARG_ROOT is often the checkout).
 */
const LOCAL_ENTRY = import.meta.url.endsWith(".ts") ? ["src", "index.ts"] : ["dist", "index.js"];

/** Imports an app: `<root>/apps/<id>/src/index.ts` (compiled: its dist/) when the installation has it, else the `@marg/<id>` package. */
export async function loadAppDefinition(root: string, id: string): Promise<MargAppDefinition> {
  const unknown = (why: string) =>
    new MargError("E_APP_UNKNOWN", `App "${id}" ${why}`, { details: { app: id } });
  if (!APP_ID.test(id)) throw unknown("is not a valid app name: use lower-case letters, digits and dashes.");
  const local = path.join(root, "apps", id, ...LOCAL_ENTRY);
  let module: Record<string, unknown>;
  try {
    module = existsSync(local) ? await import(pathToFileURL(local).href) : await import(`@marg/${id}`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = String((error as Error).message);
    const entry = path.join("apps", id, ...LOCAL_ENTRY);
    const missing =
      code === "ERR_MODULE_NOT_FOUND" && (message.includes(`@marg/${id}`) || message.includes(entry));
    if (!missing) throw error;
    throw unknown(
      `is listed in MARG_APPS but has no folder apps/${id} with src/index.ts: create it, or remove "${id}" from MARG_APPS.`,
    );
  }
  const app = module.app;
  if (!isAppDefinition(app)) {
    throw unknown(
      `has no \`app\` export: apps/${id}/src/index.ts must \`export const app = defineApp({ … })\`.`,
    );
  }
  if (app.id !== id) throw unknown(`exports an app whose id is "${app.id}": make them match.`);
  return app;
}

/** The apps a command works on: all of MARG_APPS, or the one `--app` names (which must be listed). */
export function selectApps(installation: MargConfig, only: string | undefined): readonly string[] {
  if (only === undefined) return installation.app.apps;
  if (!installation.app.apps.includes(only)) {
    throw new MargError(
      "E_APP_UNKNOWN",
      `App "${only}" is not in MARG_APPS (${installation.app.apps.join(", ") || "empty"}): add it there first.`,
    );
  }
  return [only];
}

interface LoadedApp {
  readonly app: MargAppDefinition;
  readonly config: MargConfig;
}

async function loadApps(ctx: CliContext, appIds: readonly string[]): Promise<LoadedApp[]> {
  const loaded: LoadedApp[] = [];
  for (const id of appIds) {
    const app = await loadAppDefinition(ctx.root, id);
    const appDefaults = {
      name: app.title,
      ...(app.database === undefined ? {} : { database: app.database }),
    };
    loaded.push({ app, config: loadConfig({ app: id, appDefaults, root: ctx.root, env: ctx.env }) });
  }
  return loaded;
}

/**
 * Platform sets for rbac/business run once with the installation's config;
 * platform sets for `app` and each app's own sets run with that app's config.
 */
export async function collectMigrationSets(
  ctx: CliContext,
  appIds: readonly string[],
): Promise<CollectedMigrations> {
  const installation = ctx.config();
  // Each set is copied, so one set object used by several apps maps to each app's config.
  const owned: { set: MigrationSet; config: MargConfig }[] = [];
  for (const set of platformMigrations) {
    if (set.connection !== "app") owned.push({ set: { ...set }, config: installation });
  }
  for (const { app, config } of await loadApps(ctx, appIds)) {
    const appSets = app.migrations ?? [];
    if (!Array.isArray(appSets) || !appSets.every(isMigrationSet)) {
      throw new MargError(
        "E_APP_UNKNOWN",
        `App "${app.id}" exports migrations that are not { source, connection: app|rbac|business, migrations } sets.`,
      );
    }
    const shared = platformMigrations.filter((set) => set.connection === "app");
    for (const set of [...shared, ...appSets]) owned.push({ set: { ...set }, config });
  }
  const owners = new Map(owned.map(({ set, config }) => [set, config]));
  return {
    sets: owned.map(({ set }) => set),
    configFor: (set) => owners.get(set) ?? installation,
  };
}

/** Seeders in run order: core's first (installation config), then each app's `seeders` export. */
export async function collectSeeders(
  ctx: CliContext,
  appIds: readonly string[],
  databasesFor: (config: MargConfig) => Databases,
): Promise<SeederEntry[]> {
  const installation = ctx.config();
  const entries: SeederEntry[] = platformSeeders.map((seeder) => ({
    seeder,
    source: "core",
    config: installation,
    databases: databasesFor(installation),
  }));
  for (const { app, config } of await loadApps(ctx, appIds)) {
    const seeders = (app as { seeders?: unknown }).seeders ?? [];
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
