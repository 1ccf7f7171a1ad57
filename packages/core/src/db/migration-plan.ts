import path from "node:path";
import type { Migration } from "kysely";
import type { DbConnectionConfig } from "../config/config-types.js";
import { MargError } from "../errors/index.js";
import type { ConnectionName, MigrationSet } from "./migration-types.js";
import type { Databases } from "./types.js";

/** `2026_11_25_120000_create_sessions`: sorts by time, then reads as what it does. */
export const MIGRATION_NAME = /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+$/;

/**
 * Every migration that lands in one physical database. Several modules (core's
 * session store, an app, …) and even two connection names (an app without its
 * own database shares marg-rbac) can target the same database, and Kysely's
 * Migrator must see all of them at once or it reports the others as missing.
 */
export interface MigrationGroup {
  readonly connection: ConnectionName;
  readonly settings: DbConnectionConfig;
  readonly databases: Databases;
  readonly migrations: Record<string, Migration>;
  /** Which set brought each migration, for status and error messages. */
  readonly sourceOf: Map<string, string>;
}

function databaseKey(settings: DbConnectionConfig): string {
  return settings.driver === "sqlite"
    ? `sqlite:${path.resolve(settings.filename)}`
    : `mysql:${settings.host}:${settings.port}/${settings.database}`;
}

/** Groups the sets by the database they land in, in the order the sets came (platform first). */
export function planMigrationGroups(
  databasesFor: (set: MigrationSet) => Databases,
  sets: readonly MigrationSet[],
): MigrationGroup[] {
  const groups = new Map<string, MigrationGroup>();
  for (const set of sets) {
    const databases = databasesFor(set);
    const settings = databases.settings(set.connection);
    const key = databaseKey(settings);
    let group = groups.get(key);
    if (group === undefined) {
      group = { connection: set.connection, settings, databases, migrations: {}, sourceOf: new Map() };
      groups.set(key, group);
    }
    for (const [name, migration] of Object.entries(set.migrations)) {
      if (!MIGRATION_NAME.test(name)) {
        throw new MargError(
          "E_MIGRATION_INVALID",
          `Migration "${name}" of ${set.source} is badly named: use YYYY_MM_DD_HHMMSS_what_it_does (lower case).`,
        );
      }
      const owner = group.sourceOf.get(name);
      // The same migration can reach one database twice (a platform `app` set, two apps sharing a database).
      if (group.migrations[name] === migration) continue;
      if (owner !== undefined) {
        throw new MargError(
          "E_MIGRATION_INVALID",
          `Migration "${name}" is declared by both ${owner} and ${set.source} for database ` +
            `\`${settings.database}\`: rename one (names must be unique per database).`,
        );
      }
      group.migrations[name] = migration;
      group.sourceOf.set(name, set.source);
    }
  }
  return [...groups.values()].filter((group) => group.sourceOf.size > 0);
}
