import { Migrator } from "kysely";
import { currentRequestScope, runInRequestScope } from "../context/index.js";
import { isMargError, MargError } from "../errors/index.js";
import { type MigrationGroup, planMigrationGroups } from "./migration-plan.js";
import {
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
  type MigrationStatusRow,
  readExecuted,
  statusRows,
} from "./migration-status.js";
import type { ConnectionName, MigrationSet } from "./migration-types.js";
import { ensureMysqlDatabase } from "./mysql-dialect-factory.js";
import type { Databases } from "./types.js";

/** One migration run (up) or rolled back (down). */
export interface MigrationStep {
  readonly connection: ConnectionName;
  readonly database: string;
  readonly source: string;
  readonly name: string;
  readonly direction: "up" | "down";
  readonly ms: number;
}

export type MigratorEvent =
  | { readonly type: "database-created"; readonly connection: ConnectionName; readonly database: string }
  | ({ readonly type: "step" } & MigrationStep);

export interface MargMigrator {
  /** Runs every pending migration, database by database, one transaction each where the dialect allows. */
  latest(): Promise<MigrationStep[]>;
  /** Rolls back the `steps` (default 1) most recently run migrations across all databases. */
  rollback(options?: { steps?: number }): Promise<MigrationStep[]>;
  /** Every migration of every database, with when it ran (null: pending). */
  status(): Promise<MigrationStatusRow[]>;
}

export interface MigratorOptions {
  /** Progress, as it happens: the CLI prints a line per event. */
  readonly onEvent?: (event: MigratorEvent) => void;
  /** Create missing MySQL databases before migrating (default true). */
  readonly createDatabases?: boolean;
}

/** Runs `fn` with reads of the group's connection pinned to the primary: replicas may lag behind DDL. */
function onPrimary<T>(group: MigrationGroup, fn: () => Promise<T>): Promise<T> {
  return runInRequestScope(`migrate:${group.connection}`, () => {
    currentRequestScope()?.stickyFrom.add(group.connection);
    return fn();
  });
}

function kyselyMigrator(group: MigrationGroup): Migrator {
  return new Migrator({
    db: group.databases.connection<unknown>(group.connection),
    provider: { getMigrations: async () => group.migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Modules ship migrations independently; an older-named one arriving late must still run.
    allowUnorderedMigrations: true,
  });
}

function failure(group: MigrationGroup, name: string | undefined, error: unknown, direction: "up" | "down") {
  if (name === undefined) {
    if (isMargError(error)) return error;
    const cause = error instanceof Error ? error.message : String(error);
    return new MargError(
      "E_MIGRATION_FAILED",
      `Migrating database \`${group.settings.database}\` (connection ${group.connection}) failed: ${cause}`,
      { cause: error },
    );
  }
  const cause = error instanceof Error ? error.message : String(error);
  const verb = direction === "up" ? "Migration" : "Rolling back migration";
  const partial =
    group.settings.driver === "mysql"
      ? " MySQL cannot undo DDL, so check for a half-applied change first."
      : "";
  return new MargError(
    "E_MIGRATION_FAILED",
    `${verb} ${name} (${group.sourceOf.get(name) ?? "?"}, database \`${group.settings.database}\`) failed: ${cause}. ` +
      `Migrations before it stay applied; fix it and run the command again.${partial}`,
    {
      cause: error,
      details: { connection: group.connection, database: group.settings.database, migration: name },
    },
  );
}

function assertNothingMissing(group: MigrationGroup, executed: Map<string, Date>): void {
  const missing = [...executed.keys()].filter((name) => !group.sourceOf.has(name));
  if (missing.length === 0) return;
  throw new MargError(
    "E_MIGRATION_INVALID",
    `Database \`${group.settings.database}\` has run ${missing.join(", ")}, which no module provides any more ` +
      `(renamed, or its app removed from MARG_APPS?). Restore the migration, or delete its row from ${MIGRATION_TABLE}.`,
  );
}

/**
 * Migrations for a set of modules, each set on the database its connection names
 * (`databasesFor` picks the app's own config for an app's set). Migrations run
 * one by one so that a failure names its migration and leaves the ones before it applied.
 *
 * @example
 * const migrator = createMigrator(() => databases, [...coreMigrations, ...flow.migrations]);
 * await migrator.latest();
 */
export function createMigrator(
  databasesFor: (set: MigrationSet) => Databases,
  sets: readonly MigrationSet[],
  options: MigratorOptions = {},
): MargMigrator {
  const groups = planMigrationGroups(databasesFor, sets);
  const step = (group: MigrationGroup, name: string, direction: "up" | "down", started: number) => {
    const done: MigrationStep = {
      connection: group.connection,
      database: group.settings.database,
      source: group.sourceOf.get(name) ?? "(missing)",
      name,
      direction,
      ms: Math.round(performance.now() - started),
    };
    options.onEvent?.({ type: "step", ...done });
    return done;
  };

  const migrateGroup = (group: MigrationGroup, steps: MigrationStep[]) =>
    onPrimary(group, async () => {
      if (group.settings.driver === "mysql" && options.createDatabases !== false) {
        const { created } = await ensureMysqlDatabase(group.settings);
        if (created) {
          options.onEvent?.({
            type: "database-created",
            connection: group.connection,
            database: group.settings.database,
          });
        }
      }
      assertNothingMissing(group, await readExecuted(group));
      const migrator = kyselyMigrator(group);
      for (;;) {
        const started = performance.now();
        const { error, results = [] } = await migrator.migrateUp();
        const ran = results[0];
        if (error !== undefined) throw failure(group, ran?.migrationName, error, "up");
        if (ran === undefined) return;
        steps.push(step(group, ran.migrationName, "up", started));
      }
    });

  return {
    async latest() {
      const steps: MigrationStep[] = [];
      for (const group of groups) await migrateGroup(group, steps);
      return steps;
    },

    async rollback({ steps: count = 1 } = {}) {
      if (!Number.isInteger(count) || count < 1) throw new RangeError("steps must be a whole number ≥ 1");
      const executed = await Promise.all(
        groups.map(async (group) => ({ group, ran: await onPrimary(group, () => readExecuted(group)) })),
      );
      const chosen = executed
        .flatMap(({ group, ran }) => [...ran].map(([name, at]) => ({ group, name, at: at.getTime() })))
        .sort((a, b) => b.at - a.at || b.name.localeCompare(a.name))
        .slice(0, count);
      for (const { group, name } of chosen) {
        const migration = group.migrations[name];
        if (migration?.down === undefined) {
          const why = migration === undefined ? "no module provides it any more" : "it has no down()";
          throw new MargError(
            "E_MIGRATION_INVALID",
            `Cannot roll back ${name} on \`${group.settings.database}\`: ${why}.`,
          );
        }
      }
      const steps: MigrationStep[] = [];
      for (const { group, name } of chosen) {
        await onPrimary(group, async () => {
          const started = performance.now();
          const { error, results = [] } = await kyselyMigrator(group).migrateDown();
          if (error !== undefined) throw failure(group, results[0]?.migrationName ?? name, error, "down");
          steps.push(step(group, results[0]?.migrationName ?? name, "down", started));
        });
      }
      return steps;
    },

    async status() {
      const rows: MigrationStatusRow[] = [];
      for (const group of groups)
        rows.push(...statusRows(group, await onPrimary(group, () => readExecuted(group))));
      return rows;
    },
  };
}
