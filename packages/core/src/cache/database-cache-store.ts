import { type Kysely, sql } from "kysely";
import { type SqlDialectName, sqlDialectOf } from "../db/sql-dialect.js";
import type { CacheTables } from "./cache-migrations.js";
import { cacheUnavailable } from "./errors.js";
import { type CacheSetOptions, type CacheStore, type CacheValue, ttlMilliseconds } from "./types.js";

export interface DatabaseCacheStoreOptions {
  /** The connection that holds the `cache` table (the shared `rbac` one; see cacheMigrations). */
  readonly db: Kysely<CacheTables>;
  /** Prepended to every key: `${CACHE_PREFIX}:`. */
  readonly prefix?: string;
  readonly now?: () => number;
}

const CHUNK = 500;

function decode(text: string): CacheValue | undefined {
  try {
    return JSON.parse(text) as CacheValue;
  } catch {
    return undefined;
  }
}

/** Escapes LIKE wildcards so the prefix matches literally (with `escape '\'`). */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * The cache in a SQL table (CACHE_STORE=database): the embedded laptop driver,
 * shared by every process that opens the same SQLite file or MySQL database.
 * Expired rows are invisible at once and removed by `prune()` (the scheduler's
 * job), so reads never pay for cleanup.
 */
export class DatabaseCacheStore implements CacheStore {
  readonly driver = "database";
  readonly #db: Kysely<CacheTables>;
  readonly #prefix: string;
  readonly #now: () => number;
  readonly #dialect: SqlDialectName;

  constructor(options: DatabaseCacheStoreOptions) {
    this.#db = options.db;
    this.#prefix = options.prefix ?? "";
    this.#now = options.now ?? Date.now;
    this.#dialect = sqlDialectOf(options.db);
  }

  async get(key: string): Promise<CacheValue | undefined> {
    const [value] = await this.getMany([key]);
    return value;
  }

  async getMany(keys: readonly string[]): Promise<(CacheValue | undefined)[]> {
    if (keys.length === 0) return [];
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK).map((key) => this.#prefix + key);
      const rows = await this.#run(() =>
        this.#db
          .selectFrom("cache")
          .select(["key", "value"])
          .where("key", "in", chunk)
          .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", this.#now())]))
          .execute(),
      );
      for (const row of rows) found.set(row.key, row.value);
    }
    return keys.map((key) => {
      const text = found.get(this.#prefix + key);
      return text === undefined ? undefined : decode(text);
    });
  }

  async set(key: string, value: CacheValue, options?: CacheSetOptions): Promise<void> {
    await this.setMany([[key, value]], options);
  }

  async setMany(
    entries: ReadonlyArray<readonly [string, CacheValue]>,
    options?: CacheSetOptions,
  ): Promise<void> {
    const ttl = ttlMilliseconds(options);
    const expiresAt = ttl === undefined ? null : this.#now() + ttl;
    for (let i = 0; i < entries.length; i += CHUNK) {
      const rows = entries.slice(i, i + CHUNK).map(([key, value]) => ({
        key: this.#prefix + key,
        value: JSON.stringify(value),
        expires_at: expiresAt,
      }));
      const insert = this.#db.insertInto("cache").values(rows);
      await this.#run(() =>
        this.#dialect === "mysql"
          ? insert
              .onDuplicateKeyUpdate({
                value: sql`values(\`value\`)`,
                expires_at: sql`values(\`expires_at\`)`,
              })
              .execute()
          : insert
              .onConflict((oc) =>
                oc.column("key").doUpdateSet((eb) => ({
                  value: eb.ref("excluded.value"),
                  expires_at: eb.ref("excluded.expires_at"),
                })),
              )
              .execute(),
      );
    }
  }

  async add(key: string, value: CacheValue, options?: CacheSetOptions): Promise<boolean> {
    const ttl = ttlMilliseconds(options);
    const now = this.#now();
    const full = this.#prefix + key;
    return this.#run(async () => {
      // A dead row still holds the primary key: clear it so the insert can win.
      await this.#db.deleteFrom("cache").where("key", "=", full).where("expires_at", "<=", now).execute();
      const result = await this.#db
        .insertInto("cache")
        .ignore()
        .values({ key: full, value: JSON.stringify(value), expires_at: ttl === undefined ? null : now + ttl })
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  async delete(key: string): Promise<boolean> {
    const full = this.#prefix + key;
    const now = this.#now();
    return this.#run(async () => {
      const live = await this.#db
        .deleteFrom("cache")
        .where("key", "=", full)
        .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
        .executeTakeFirst();
      await this.#db.deleteFrom("cache").where("key", "=", full).execute();
      return Number(live.numDeletedRows) > 0;
    });
  }

  async increment(key: string, by = 1): Promise<number> {
    const full = this.#prefix + key;
    const current = await this.get(key);
    if (current !== undefined && !Number.isInteger(current)) {
      throw new TypeError(`cache key "${key}" does not hold an integer`);
    }
    return this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const now = this.#now();
        // One atomic upsert: a dead entry restarts from `by`, a live one adds `by` and keeps its lifetime.
        const dead = sql<boolean>`${sql.ref("cache.expires_at")} is not null and ${sql.ref("cache.expires_at")} <= ${now}`;
        const asInteger = this.#dialect === "mysql" ? sql.raw("signed") : sql.raw("integer");
        const update = {
          value: sql<string>`case when ${dead} then ${String(by)} else cast(${sql.ref("cache.value")} as ${asInteger}) + ${by} end`,
          expires_at: sql<number | null>`case when ${dead} then null else ${sql.ref("cache.expires_at")} end`,
        };
        const insert = trx.insertInto("cache").values({ key: full, value: String(by), expires_at: null });
        await (this.#dialect === "mysql"
          ? insert.onDuplicateKeyUpdate(update)
          : insert.onConflict((oc) => oc.column("key").doUpdateSet(update))
        ).execute();
        const row = await trx
          .selectFrom("cache")
          .select("value")
          .where("key", "=", full)
          .executeTakeFirstOrThrow();
        return Number(row.value);
      }),
    );
  }

  async clear(): Promise<void> {
    await this.#run(() =>
      this.#prefix === ""
        ? this.#db.deleteFrom("cache").execute()
        : this.#db
            .deleteFrom("cache")
            .where(sql<boolean>`${sql.ref("key")} like ${`${likeEscape(this.#prefix)}%`} escape ${"\\"}`)
            .execute(),
    );
  }

  /** Deletes every expired row (all prefixes); returns how many. Schedule it, e.g. hourly. */
  async prune(): Promise<number> {
    const result = await this.#run(() =>
      this.#db.deleteFrom("cache").where("expires_at", "<=", this.#now()).executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw cacheUnavailable(this.driver, error);
    }
  }
}
