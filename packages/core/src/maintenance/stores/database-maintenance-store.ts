import type { Kysely } from "kysely";
import { maintenanceStoreUnavailable } from "../errors.js";
import type { MaintenanceTables } from "../maintenance-migrations.js";
import {
  type MaintenanceScope,
  type MaintenanceState,
  type MaintenanceStore,
  parseMaintenanceState,
} from "../types.js";

/** Maintenance records in the `maintenance` table of the shared rbac database (the embedded phase). */
export class DatabaseMaintenanceStore implements MaintenanceStore {
  readonly driver = "database";
  readonly #db: Kysely<MaintenanceTables>;

  constructor(db: Kysely<MaintenanceTables>) {
    this.#db = db;
  }

  async list(): Promise<MaintenanceState[]> {
    const rows = await this.#run(() => this.#db.selectFrom("maintenance").select("state").execute());
    return rows
      .map((row) => parseMaintenanceState(row.state))
      .filter((state): state is MaintenanceState => state !== undefined);
  }

  async put(state: MaintenanceState): Promise<void> {
    const row = { scope: state.scope, state: JSON.stringify(state), updated_at: Date.now() };
    // Delete then insert in one transaction: the same on SQLite and MySQL, no dialect-specific upsert.
    await this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        await trx.deleteFrom("maintenance").where("scope", "=", state.scope).execute();
        await trx.insertInto("maintenance").values(row).execute();
      }),
    );
  }

  async remove(scope: MaintenanceScope): Promise<boolean> {
    const result = await this.#run(() =>
      this.#db.deleteFrom("maintenance").where("scope", "=", scope).executeTakeFirst(),
    );
    return Number(result.numDeletedRows) > 0;
  }

  async removeAll(): Promise<number> {
    const result = await this.#run(() => this.#db.deleteFrom("maintenance").executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw maintenanceStoreUnavailable("database", error);
    }
  }
}
