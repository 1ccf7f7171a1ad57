/**
 * Flow's databases on each SQL driver, for the schema conformance suite: a temp
 * SQLite installation, or three scratch MariaDB databases (klueportal, marg-rbac,
 * klue_portal_business stand-ins), plus how to read a table's indexes there.
 */
import { generateAppKey, loadConfig, type MargConfig } from "@marg/core/config";
import { createScratchMysqlDatabase, createTempDir, TEST_MYSQL } from "@marg/core/testing";
import SQLite from "better-sqlite3";
import mysql from "mysql2/promise";

export interface FlowDbInstallation {
  readonly config: MargConfig;
  /** Index name → its columns in order, for one table of flow's own database. */
  indexes(table: string): Promise<Record<string, string[]>>;
  /** Table names of flow's own database. */
  tables(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export interface FlowDbDriver {
  readonly name: "sqlite" | "mysql";
  install(label: string): Promise<FlowDbInstallation>;
}

function flowConfig(root: string, env: Record<string, string>): MargConfig {
  return loadConfig({
    app: "flow",
    root,
    env: {
      APP_KEY: generateAppKey(),
      STORAGE_PATH: "storage",
      MARG_APPS: "flow",
      LOG_LEVEL: "silent",
      ...env,
    },
    appDefaults: { name: "Flow", database: "klueportal" },
  });
}

export const SQLITE_DRIVER: FlowDbDriver = {
  name: "sqlite",
  async install(label) {
    const dir = createTempDir(`flow-db-${label}`);
    const config = flowConfig(dir.path, { DB_CONNECTION: "sqlite" });
    const read = <T>(run: (db: SQLite.Database) => T): T => {
      const db = new SQLite(config.db.connections.app.filename, { readonly: true });
      try {
        return run(db);
      } finally {
        db.close();
      }
    };
    return {
      config,
      async indexes(table) {
        return read((db) => {
          const list = db.prepare(`PRAGMA index_list(${JSON.stringify(table)})`).all() as { name: string }[];
          return Object.fromEntries(
            list.map(({ name }) => [
              name,
              (db.prepare(`PRAGMA index_info(${JSON.stringify(name)})`).all() as { name: string }[]).map(
                (c) => c.name,
              ),
            ]),
          );
        });
      },
      async tables() {
        return read((db) =>
          (
            db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
              name: string;
            }[]
          ).map((row) => row.name),
        );
      },
      cleanup: async () => dir.remove(),
    };
  },
};

export const MYSQL_DRIVER: FlowDbDriver = {
  name: "mysql",
  async install(label) {
    const dir = createTempDir(`flow-db-${label}`);
    const scratch = await Promise.all(
      ["app", "rbac", "biz"].map((part) => createScratchMysqlDatabase(`flow_${label}_${part}`)),
    );
    const [app, rbac, biz] = scratch.map((db) => db.name);
    const config = flowConfig(dir.path, {
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      DB_PASSWORD: TEST_MYSQL.password,
      DB_DATABASE: app ?? "",
      RBAC_DB_DATABASE: rbac ?? "",
      BUSINESS_DB_DATABASE: biz ?? "",
    });
    const query = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
      const connection = await mysql.createConnection(TEST_MYSQL);
      try {
        const [rows] = await connection.query(sql, params);
        return rows as T[];
      } finally {
        await connection.end();
      }
    };
    return {
      config,
      async indexes(table) {
        // The seed's troubleshooting names these indexes; information_schema is where an operator looks.
        const rows = await query<{ INDEX_NAME: string; COLUMN_NAME: string }>(
          "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.statistics WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX",
          [app, table],
        );
        const indexes: Record<string, string[]> = {};
        for (const row of rows)
          indexes[row.INDEX_NAME] = [...(indexes[row.INDEX_NAME] ?? []), row.COLUMN_NAME];
        return indexes;
      },
      async tables() {
        const rows = await query<{ TABLE_NAME: string }>(
          "SELECT TABLE_NAME FROM information_schema.tables WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
          [app],
        );
        return rows.map((row) => row.TABLE_NAME);
      },
      async cleanup() {
        await Promise.all(scratch.map((db) => db.drop()));
        dir.remove();
      },
    };
  },
};
