import type { Kysely, Migration } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";

/** Row of the `maintenance` table: one per scope that is down. */
export interface MaintenanceTable {
  /** `*` or an app id. */
  scope: string;
  /** The MaintenanceState as JSON. */
  state: string;
  /** Epoch ms. */
  updated_at: number;
}

export interface MaintenanceTables {
  maintenance: MaintenanceTable;
}

const createMaintenanceTable: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("maintenance")
      .addColumn("scope", "varchar(64)", (c) => c.primaryKey().notNull())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("maintenance").execute();
  },
};

/** The database driver's table, on the shared `rbac` connection that every app of the installation opens. */
export const maintenanceMigrations: MigrationSet = {
  source: "core:maintenance",
  connection: "rbac",
  migrations: { "2026_12_01_090000_create_maintenance_table": createMaintenanceTable },
};
