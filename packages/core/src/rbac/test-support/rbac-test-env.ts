import { Redis } from "ioredis";
import type { Kysely, KyselyPlugin } from "kysely";
import { type CacheTables, cacheMigrations } from "../../cache/cache-migrations.js";
import { DatabaseCacheStore } from "../../cache/database-cache-store.js";
import { RedisCacheStore } from "../../cache/redis-cache-store.js";
import {
  createTestDatabase,
  runTestMigrations,
  type SqlTestDriver,
  type TestDatabaseLocation,
} from "../../cache/test-support/test-databases.js";
import type { CacheStore } from "../../cache/types.js";
import { createScratchRedisPrefix, TEST_REDIS } from "../../testing/index.js";
import { rbacMigrations } from "../rbac-migrations.js";
import { RbacRepository } from "../rbac-repository.js";
import type { RbacTables } from "../rbac-schema.js";
import { RbacService, type RbacServiceOptions } from "../rbac-service.js";
import { type DirectoryTables, SqlUserDirectory } from "../sql-user-directory.js";
import { createTestUsersTable, type TestUsersTables } from "./test-users-table.js";

/** One backend combination RBAC suites run on: where the tables are, and which shared cache. */
export interface RbacDriver {
  readonly name: string;
  readonly sql: SqlTestDriver;
  readonly cache: "redis" | "database";
}

/** Redis + MariaDB (the servers' setup) and the embedded store (SQLite with the cache table), plus MariaDB's cache table. */
export const RBAC_DRIVERS: readonly RbacDriver[] = [
  { name: "redis cache + mysql", sql: "mysql", cache: "redis" },
  { name: "database cache + sqlite", sql: "sqlite", cache: "database" },
  { name: "database cache + mysql", sql: "mysql", cache: "database" },
];

export type AllTestTables = RbacTables & CacheTables & TestUsersTables;

/** Counts the statements a Kysely view sends, to prove a check ran none. */
export class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery: KyselyPlugin["transformQuery"] = (args) => {
    this.count += 1;
    return args.node;
  };
  transformResult: KyselyPlugin["transformResult"] = async (args) => args.result;
}

/** The same Kysely seen with other table types (one connection holds RBAC, cache and users). */
export function retype<T>(db: Kysely<AllTestTables>): Kysely<T> {
  return db as unknown as Kysely<T>;
}

export interface RbacTestEnv {
  readonly driver: RbacDriver;
  readonly location: TestDatabaseLocation;
  /** Set for the redis cache: the scratch prefix every key of this suite starts with. */
  readonly redisPrefix: string | undefined;
  readonly db: Kysely<AllTestTables>;
  readonly repository: RbacRepository;
  readonly users: SqlUserDirectory;
  /** A store over the shared backend, as another server would open it; queries counted by `counter` when given. */
  newStore(counter?: QueryCounter): CacheStore;
  /** A new "server": its own service, local cache and version poll, over the shared database and store. */
  newService(
    options?: Partial<RbacServiceOptions> & { queries?: QueryCounter; storeQueries?: QueryCounter },
  ): RbacService;
  addUser(email: string, options?: { disabled?: boolean }): Promise<number>;
  destroy(): Promise<void>;
}

export async function createRbacTestEnv(
  driver: RbacDriver,
  label: string,
  options: { sqliteFile?: string } = {},
): Promise<RbacTestEnv> {
  const database = await createTestDatabase<AllTestTables>(driver.sql, label, options);
  await runTestMigrations(database.db, [cacheMigrations, rbacMigrations]);
  await createTestUsersTable(database.db);
  const scratch = driver.cache === "redis" ? createScratchRedisPrefix(label) : undefined;
  const clients: Redis[] = [];
  const services: RbacService[] = [];
  const db = database.db;

  const newStore = (counter?: QueryCounter): CacheStore => {
    if (scratch === undefined) {
      const view = counter === undefined ? db : db.withPlugin(counter);
      return new DatabaseCacheStore({ db: retype<CacheTables>(view), prefix: "marg:" });
    }
    const client = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 });
    clients.push(client);
    return new RedisCacheStore({ client, prefix: `${scratch.prefix}marg:` });
  };

  return {
    driver,
    location: database.location,
    redisPrefix: scratch?.prefix,
    db,
    repository: new RbacRepository(retype<RbacTables>(db)),
    users: new SqlUserDirectory(retype<DirectoryTables>(db)),
    newStore,
    newService(options = {}) {
      const { queries, storeQueries, ...rest } = options;
      const view = queries === undefined ? db : db.withPlugin(queries);
      const service = new RbacService({
        repository: new RbacRepository(retype<RbacTables>(view)),
        store: newStore(storeQueries),
        users: new SqlUserDirectory(retype<DirectoryTables>(view)),
        ...rest,
      });
      services.push(service);
      return service;
    },
    async addUser(email, options = {}) {
      const result = await db
        .insertInto("users")
        .values({
          email,
          email_normalized: email.trim().toLowerCase(),
          name: email.split("@")[0] ?? email,
          disabled_at: options.disabled ? Date.now() : null,
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },
    async destroy() {
      for (const service of services) service.close();
      for (const client of clients) client.disconnect();
      await scratch?.clear();
      await database.destroy();
    },
  };
}
