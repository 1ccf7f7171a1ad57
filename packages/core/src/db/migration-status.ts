import { isMargError } from "../errors/index.js";
import type { MigrationGroup } from "./migration-plan.js";
import type { ConnectionName } from "./migration-types.js";

/** Kysely's bookkeeping tables, renamed so `SHOW TABLES` says whose they are. */
export const MIGRATION_TABLE = "marg_migrations";
export const MIGRATION_LOCK_TABLE = "marg_migrations_lock";

/** One line of `marg migrate:status`. */
export interface MigrationStatusRow {
  readonly connection: ConnectionName;
  readonly database: string;
  /** The module that declares it; `(missing)` for a migration the database ran but no module provides. */
  readonly source: string;
  readonly name: string;
  readonly executedAt: Date | null;
}

/** Where each executed migration stands, read from the group's marg_migrations (empty when none). */
export async function readExecuted(group: MigrationGroup): Promise<Map<string, Date>> {
  const db = group.databases.connection<{ marg_migrations: { name: string; timestamp: string } }>(
    group.connection,
  );
  try {
    const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
    if (!tables.some((table) => table.name === MIGRATION_TABLE)) return new Map();
  } catch (error) {
    // A MySQL database that `marg migrate` has not created yet has run nothing.
    if (isMargError(error) && error.code === "E_DB_UNKNOWN_DATABASE") return new Map();
    throw error;
  }
  const rows = await db.selectFrom(MIGRATION_TABLE).select(["name", "timestamp"]).execute();
  return new Map(rows.map((row) => [row.name, new Date(row.timestamp)]));
}

/** Every known and every executed migration of a group, sorted by name. */
export function statusRows(group: MigrationGroup, executed: Map<string, Date>): MigrationStatusRow[] {
  const names = new Set([...group.sourceOf.keys(), ...executed.keys()]);
  return [...names].sort().map((name) => ({
    connection: group.connection,
    database: group.settings.database,
    source: group.sourceOf.get(name) ?? "(missing)",
    name,
    executedAt: executed.get(name) ?? null,
  }));
}
