/**
 * Opens each session store driver against a real, scratch backend for tests:
 * Redis under a unique prefix, SQLite in a temp dir, a scratch MariaDB database.
 * `raw()` returns what an attacker with a dump of the backend would see.
 */
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { Kysely, MysqlDialect, SqliteDialect } from "kysely";
import { createPool } from "mysql2";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  createTempDir,
  TEST_MYSQL,
  TEST_REDIS,
} from "../../testing/index.js";
import { DatabaseSessionStore } from "../stores/database-session-store.js";
import { RedisSessionStore } from "../stores/redis-session-store.js";
import { sessionMigrations } from "../stores/session-migrations.js";
import type { SessionDatabase } from "../stores/session-table.js";
import type { SessionStore } from "../types.js";

export const DRIVERS = ["redis", "database-sqlite", "database-mysql"] as const;
export type DriverName = (typeof DRIVERS)[number];

export interface OpenedStore {
  readonly store: SessionStore;
  /** The stored session exactly as the backend holds it, serialised; "" when absent. */
  raw(storeKey: string): Promise<string>;
  /** Rows (database) or keys (Redis) the backend holds for sessions, expired or not. */
  count(): Promise<number>;
  /** Flips one character of every stored field, as an attacker with write access to the store might. */
  tamper(storeKey: string): Promise<void>;
  close(): Promise<void>;
}

export async function openStoreDriver(driver: DriverName, label: string): Promise<OpenedStore> {
  if (driver === "redis") return openRedis(label);
  if (driver === "database-sqlite") {
    const dir = createTempDir(label);
    const db = new Kysely<SessionDatabase>({
      dialect: new SqliteDialect({ database: new Database(`${dir.path}/rbac.sqlite`) }),
    });
    return openDatabase(db, async () => dir.remove());
  }
  const scratch = await createScratchMysqlDatabase(label);
  const pool = createPool({ ...TEST_MYSQL, database: scratch.name, connectionLimit: 4 });
  const db = new Kysely<SessionDatabase>({ dialect: new MysqlDialect({ pool }) });
  return openDatabase(db, () => scratch.drop());
}

async function openRedis(label: string): Promise<OpenedStore> {
  const scratch = createScratchRedisPrefix(label);
  const redis = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 });
  return {
    store: new RedisSessionStore(redis, { prefix: scratch.prefix }),
    raw: async (storeKey) => {
      const hash = await redis.hgetall(`${scratch.prefix}session:${storeKey}`);
      return Object.keys(hash).length === 0 ? "" : JSON.stringify(hash);
    },
    tamper: async (storeKey) => {
      const key = `${scratch.prefix}session:${storeKey}`;
      const hash = await redis.hgetall(key);
      for (const [field, value] of Object.entries(hash)) {
        if (field.startsWith("d:")) await redis.hset(key, field, flipLast(value));
      }
    },
    count: async () => {
      const [, keys] = await redis.scan("0", "MATCH", `${scratch.prefix}session:*`, "COUNT", 1000);
      return keys.length;
    },
    close: async () => {
      await scratch.clear();
      await redis.quit();
    },
  };
}

async function openDatabase(db: Kysely<SessionDatabase>, cleanup: () => Promise<void>): Promise<OpenedStore> {
  for (const migration of Object.values(sessionMigrations.migrations)) {
    await migration.up(db as unknown as Kysely<unknown>);
  }
  return {
    store: new DatabaseSessionStore(db),
    raw: async (storeKey) => {
      const row = await db.selectFrom("sessions").selectAll().where("id", "=", storeKey).executeTakeFirst();
      return row === undefined ? "" : JSON.stringify(row);
    },
    tamper: async (storeKey) => {
      const row = await db
        .selectFrom("sessions")
        .select("payload")
        .where("id", "=", storeKey)
        .executeTakeFirst();
      const fields = JSON.parse(row?.payload ?? "{}") as Record<string, string>;
      for (const field of Object.keys(fields)) fields[field] = flipLast(fields[field] ?? "");
      await db
        .updateTable("sessions")
        .set({ payload: JSON.stringify(fields) })
        .where("id", "=", storeKey)
        .execute();
    },
    count: async () => {
      const row = await db
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    close: async () => {
      await db.destroy();
      await cleanup();
    },
  };
}

/**
 * Changes one stored character so the bytes under it change. Not the last one:
 * in base64url the last character may carry padding bits that decoding drops, so
 * flipping its lowest bit can leave the ciphertext as it was (a tamper that
 * tampers nothing, which made the decryption-failure tests flaky).
 */
function flipLast(value: string): string {
  const at = value.length - 2;
  const char = value.charAt(at);
  return value.slice(0, at) + (char === "A" ? "B" : "A") + value.slice(at + 1);
}

/**
 * A store of the same driver whose backend cannot be reached (nothing listens on
 * port 1; the SQLite handle is closed): every call fails as it would in an outage.
 */
export async function openDownStore(
  driver: DriverName,
): Promise<{ store: SessionStore; close(): Promise<void> }> {
  if (driver === "redis") {
    const redis = new Redis({
      host: "127.0.0.1",
      port: 1,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => undefined);
    return {
      store: new RedisSessionStore(redis, { prefix: "marg_t_down:" }),
      close: async () => redis.disconnect(),
    };
  }
  if (driver === "database-sqlite") {
    const dir = createTempDir("session-down");
    const db = new Kysely<SessionDatabase>({
      dialect: new SqliteDialect({ database: new Database(`${dir.path}/rbac.sqlite`) }),
    });
    await db.destroy();
    return { store: new DatabaseSessionStore(db), close: async () => dir.remove() };
  }
  const pool = createPool({ ...TEST_MYSQL, port: 1, connectTimeout: 1000, connectionLimit: 1 });
  const db = new Kysely<SessionDatabase>({ dialect: new MysqlDialect({ pool }) });
  return { store: new DatabaseSessionStore(db), close: () => db.destroy() };
}
