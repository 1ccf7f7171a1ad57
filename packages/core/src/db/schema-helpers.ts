import { type CreateTableBuilder, type Expression, type Kysely, MysqlAdapter, sql } from "kysely";

/**
 * Small helpers so one migration reads the same on SQLite and MySQL.
 *
 * @example
 * await db.schema
 *   .createTable("tasks")
 *   .$call(withId(db))
 *   .addColumn("owner_id", idType(db), (col) => col.notNull().references("users.id"))
 *   .addColumn("title", "varchar(255)", (col) => col.notNull())
 *   .$call(withTimestampsMs)
 *   .execute();
 */

/** Anything with Kysely's executor: a Kysely instance or a transaction, of any table types. */
type Executes = Pick<Kysely<unknown>, "getExecutor">;

/** True when the migration runs against MySQL/MariaDB (false for SQLite). */
export function isMysql(db: Executes): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/** The type of an `id` and of every column that references one: BIGINT UNSIGNED on MySQL, INTEGER on SQLite. */
export function idType(db: Executes): Expression<unknown> {
  return isMysql(db) ? sql`bigint unsigned` : sql`integer`;
}

/** Adds `id`: an auto-incrementing primary key (SQLite's rowid alias, MySQL's BIGINT UNSIGNED). */
export function withId(db: Executes) {
  return <TB extends string, C extends string>(table: CreateTableBuilder<TB, C>) =>
    table.addColumn("id", idType(db), (col) => col.primaryKey().autoIncrement());
}

/** Adds `created_at` and `updated_at` as BIGINT epoch milliseconds, the same on both dialects. */
export function withTimestampsMs<TB extends string, C extends string>(table: CreateTableBuilder<TB, C>) {
  return table
    .addColumn("created_at", "bigint", (col) => col.notNull())
    .addColumn("updated_at", "bigint", (col) => col.notNull());
}
