/**
 * A migrated `oidc_clients` table on a temp SQLite file or a scratch MariaDB database,
 * for the registry's suites. Reads and writes only those, both removed by `close()`.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, MysqlDialect, SqliteDialect } from "kysely";
import { createPool } from "mysql2";
import type { SqlDialectName } from "../db/sql-dialect.js";
import { createScratchMysqlDatabase, createTempDir, TEST_MYSQL } from "../testing/index.js";
import type { OidcDatabase } from "./oidc-client-tables.js";
import { oidcMigrations } from "./oidc-migrations.js";

export interface OidcTestDatabase {
  readonly db: Kysely<OidcDatabase>;
  close(): Promise<void>;
}

export async function openOidcTestDatabase(
  dialect: SqlDialectName,
  label: string,
): Promise<OidcTestDatabase> {
  if (dialect === "sqlite") {
    const dir = createTempDir(label);
    const db = new Kysely<OidcDatabase>({
      dialect: new SqliteDialect({ database: new SQLite(path.join(dir.path, "marg-rbac.sqlite")) }),
    });
    await migrate(db);
    return {
      db,
      async close() {
        await db.destroy();
        dir.remove();
      },
    };
  }
  const scratch = await createScratchMysqlDatabase(label);
  const db = new Kysely<OidcDatabase>({
    dialect: new MysqlDialect({
      pool: createPool({ ...TEST_MYSQL, database: scratch.name, connectionLimit: 5 }),
    }),
  });
  await migrate(db);
  return {
    db,
    async close() {
      await db.destroy();
      await scratch.drop();
    },
  };
}

async function migrate(db: Kysely<OidcDatabase>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...oidcMigrations.migrations }) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
