/**
 * A fresh database of one dialect with one migration set applied: a temp SQLite file
 * (named like the production one, `marg-rbac.sqlite`) or a scratch MariaDB database.
 * Capabilities' suites open theirs through it (auth, oidc). Reads and writes only the
 * temp dir and the scratch database, both removed by `close()`.
 */
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type Migration, Migrator, MysqlDialect, SqliteDialect } from "kysely";
import { createPool } from "mysql2";
import type { SqlDialectName } from "../db/sql-dialect.js";
import { createScratchMysqlDatabase, TEST_MYSQL } from "./scratch-mysql.js";
import { createTempDir } from "./temp-dir.js";

export interface MigratedTestDatabase<Tables> {
  readonly db: Kysely<Tables>;
  close(): Promise<void>;
}

export async function openMigratedTestDatabase<Tables>(
  dialect: SqlDialectName,
  label: string,
  migrations: Readonly<Record<string, Migration>>,
): Promise<MigratedTestDatabase<Tables>> {
  const migrate = async (db: Kysely<Tables>) => {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  };
  if (dialect === "sqlite") {
    const dir = createTempDir(label);
    const db = new Kysely<Tables>({
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
  const db = new Kysely<Tables>({
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
