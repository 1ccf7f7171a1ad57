import { type Kysely, sql } from "kysely";
import { type SqlDialectName, sqlDialectOf } from "../../db/sql-dialect.js";
import type { AuthDatabase } from "../auth-schema.js";
import type { Clock, ThrottleCounter, ThrottleStore } from "../types.js";
import { guardThrottleStore } from "./throttle-store-error.js";

/**
 * Throttle counters in the `login_attempts` table (SQLite or MySQL), shared by every
 * server on the same database. Each hit is one atomic upsert that restarts an expired
 * window in place, so no read-then-write race can lose a failure.
 */
export class DatabaseThrottleStore implements ThrottleStore {
  readonly #db: Kysely<AuthDatabase>;
  readonly #now: Clock;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<AuthDatabase>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#now = options.clock ?? Date.now;
    this.#dialect = sqlDialectOf(db as Kysely<unknown>);
  }

  hit(key: string, windowMs: number): Promise<ThrottleCounter> {
    return guardThrottleStore("database", async () => {
      const now = this.#now();
      const row =
        this.#dialect === "sqlite"
          ? await this.#hitSqlite(key, now, windowMs)
          : await this.#hitMysql(key, now, windowMs);
      return { count: Number(row.hits), resetInMs: Math.max(0, Number(row.expires_at) - now) };
    });
  }

  // SQLite evaluates every SET expression against the old row, and RETURNING reads
  // the row this statement wrote, so count and expiry come back exact.
  #hitSqlite(key: string, now: number, windowMs: number) {
    const expired = sql<boolean>`${sql.ref("login_attempts.expires_at")} <= ${now}`;
    return this.#db
      .insertInto("login_attempts")
      .values({ throttle_key: key, hits: 1, expires_at: now + windowMs })
      .onConflict((oc) =>
        oc.column("throttle_key").doUpdateSet({
          hits: sql<number>`case when ${expired} then 1 else ${sql.ref("login_attempts.hits")} + 1 end`,
          expires_at: sql<number>`case when ${expired} then ${now + windowMs} else ${sql.ref("login_attempts.expires_at")} end`,
        }),
      )
      .returning(["hits", "expires_at"])
      .executeTakeFirstOrThrow();
  }

  // MySQL has no RETURNING: the upsert row-locks the key until commit, so the read
  // inside the same transaction sees exactly this hit's count. Assignments run left
  // to right; `hits` is set first, while `expires_at` still holds the old expiry.
  #hitMysql(key: string, now: number, windowMs: number) {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto("login_attempts")
        .values({ throttle_key: key, hits: 1, expires_at: now + windowMs })
        .onDuplicateKeyUpdate({
          hits: sql<number>`if(${sql.ref("expires_at")} <= ${now}, 1, ${sql.ref("hits")} + 1)`,
          expires_at: sql<number>`if(${sql.ref("expires_at")} <= ${now}, ${now + windowMs}, ${sql.ref("expires_at")})`,
        })
        .execute();
      return trx
        .selectFrom("login_attempts")
        .select(["hits", "expires_at"])
        .where("throttle_key", "=", key)
        .executeTakeFirstOrThrow();
    });
  }

  peek(key: string): Promise<ThrottleCounter | null> {
    return guardThrottleStore("database", async () => {
      const now = this.#now();
      const row = await this.#db
        .selectFrom("login_attempts")
        .select(["hits", "expires_at"])
        .where("throttle_key", "=", key)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      if (!row || Number(row.hits) <= 0) return null;
      return { count: Number(row.hits), resetInMs: Number(row.expires_at) - now };
    });
  }

  release(key: string): Promise<void> {
    return guardThrottleStore("database", async () => {
      await this.#db
        .updateTable("login_attempts")
        .set((eb) => ({ hits: eb("hits", "-", 1) }))
        .where("throttle_key", "=", key)
        .where("hits", ">", 0)
        .where("expires_at", ">", this.#now())
        .execute();
    });
  }

  clear(key: string): Promise<void> {
    return guardThrottleStore("database", async () => {
      await this.#db.deleteFrom("login_attempts").where("throttle_key", "=", key).execute();
    });
  }

  /** Deletes counters whose window has ended; for a scheduled job. Returns how many. */
  prune(): Promise<number> {
    return guardThrottleStore("database", async () => {
      const result = await this.#db
        .deleteFrom("login_attempts")
        .where("expires_at", "<=", this.#now())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
