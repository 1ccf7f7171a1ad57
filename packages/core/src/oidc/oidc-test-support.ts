/**
 * A migrated `oidc_clients` table on a temp SQLite file or a scratch MariaDB database,
 * for the registry's suites. Reads and writes only those, both removed by `close()`.
 */
import type { SqlDialectName } from "../db/sql-dialect.js";
import { type MigratedTestDatabase, openMigratedTestDatabase } from "../testing/index.js";
import type { OidcDatabase } from "./oidc-client-tables.js";
import { oidcMigrations } from "./oidc-migrations.js";

export type OidcTestDatabase = MigratedTestDatabase<OidcDatabase>;

export function openOidcTestDatabase(dialect: SqlDialectName, label: string): Promise<OidcTestDatabase> {
  return openMigratedTestDatabase<OidcDatabase>(dialect, label, oidcMigrations.migrations);
}
