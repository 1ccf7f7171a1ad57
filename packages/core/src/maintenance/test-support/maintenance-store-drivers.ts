import path from "node:path";
import { Redis } from "ioredis";
import { Kysely, MysqlDialect, SqliteDialect, sql } from "kysely";
import { createPool } from "mysql2";
import { openSqliteDatabase } from "../../db/sqlite-dialect-factory.js";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  createTempDir,
  TEST_MYSQL,
  TEST_REDIS,
} from "../../testing/index.js";
import { type MaintenanceTables, maintenanceMigrations } from "../maintenance-migrations.js";
import { DatabaseMaintenanceStore } from "../stores/database-maintenance-store.js";
import { RedisMaintenanceStore } from "../stores/redis-maintenance-store.js";
import type { MaintenanceStore } from "../types.js";

export const MAINTENANCE_DRIVERS = ["redis", "database-sqlite", "database-mysql"] as const;
export type MaintenanceDriver = (typeof MAINTENANCE_DRIVERS)[number];

export interface OpenedMaintenanceStore {
  readonly store: MaintenanceStore;
  /** Writes a record the store cannot parse, as a hand edit would. */
  writeGarbage(): Promise<void>;
  /** Takes the backend away (the store's next call fails). */
  breakBackend(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A fresh, isolated store of one driver: a Redis prefix, a SQLite file or a scratch MariaDB database. */
export async function openMaintenanceStoreFor(driver: MaintenanceDriver): Promise<OpenedMaintenanceStore> {
  if (driver === "redis") {
    const scratch = createScratchRedisPrefix("maint");
    const redis = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 0 });
    return {
      store: new RedisMaintenanceStore(redis, { prefix: scratch.prefix }),
      writeGarbage: async () => void (await redis.hset(`${scratch.prefix}maintenance`, "junk", "{not json")),
      breakBackend: async () => redis.disconnect(),
      async cleanup() {
        redis.disconnect();
        await scratch.clear();
      },
    };
  }
  let db: Kysely<MaintenanceTables>;
  let drop = async () => {};
  if (driver === "database-sqlite") {
    const temp = createTempDir("maint");
    db = new Kysely({
      dialect: new SqliteDialect({ database: () => openSqliteDatabase(path.join(temp.path, "rbac.sqlite")) }),
    });
    drop = async () => temp.remove();
  } else {
    const scratch = await createScratchMysqlDatabase("maint");
    db = new Kysely({
      dialect: new MysqlDialect({
        pool: createPool({ ...TEST_MYSQL, database: scratch.name, connectionLimit: 2 }),
      }),
    });
    drop = () => scratch.drop();
  }
  for (const migration of Object.values(maintenanceMigrations.migrations)) await migration.up(db);
  let destroyed = false;
  return {
    store: new DatabaseMaintenanceStore(db),
    writeGarbage: async () =>
      void (await sql`insert into maintenance (scope, state, updated_at) values ('junk', '{not json', 0)`.execute(
        db,
      )),
    async breakBackend() {
      destroyed = true;
      await db.destroy();
    },
    async cleanup() {
      if (!destroyed) await db.destroy();
      await drop();
    },
  };
}
