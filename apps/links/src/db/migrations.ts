import { sqlDialectOf } from "@marg/core/cache";
import { idType, type MigrationSet, withId, withTimestampsMs } from "@marg/core/db";
import { type Kysely, type Migration, sql } from "kysely";

/** A varchar that compares byte for byte on MySQL (its default collation folds case); plain on SQLite. */
function binaryText(db: Kysely<unknown>, length: number) {
  return sqlDialectOf(db) === "mysql"
    ? sql`varchar(${sql.raw(String(length))}) character set utf8mb4 collate utf8mb4_bin`
    : sql`varchar(${sql.raw(String(length))})`;
}

const createLinks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("links")
      .$call(withId(db))
      .addColumn("slug", binaryText(db, 64), (c) => c.notNull().unique())
      .addColumn("target_url", "varchar(2048)", (c) => c.notNull())
      .addColumn("title", "varchar(200)", (c) => c.notNull().defaultTo(""))
      .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("owner_id", idType(db), (c) => c.notNull())
      .$call(withTimestampsMs)
      .execute();
    await db.schema
      .createIndex("links_owner_created_index")
      .on("links")
      .columns(["owner_id", "created_at"])
      .execute();
    await db.schema
      .createTable("link_tags")
      .addColumn("link_id", idType(db), (c) => c.notNull().references("links.id").onDelete("cascade"))
      .addColumn("tag", "varchar(32)", (c) => c.notNull())
      .addPrimaryKeyConstraint("link_tags_pk", ["link_id", "tag"])
      .execute();
    await db.schema.createIndex("link_tags_tag_index").on("link_tags").column("tag").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("link_tags").execute();
    await db.schema.dropTable("links").execute();
  },
};

// No foreign keys to links here: a flush must never fail because a link was deleted
// meanwhile (the flush skips unknown links; deleting a link deletes its rows).
const createClickTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("link_clicks_daily")
      .addColumn("link_id", idType(db), (c) => c.notNull())
      .addColumn("day", "varchar(10)", (c) => c.notNull())
      .addColumn("referrer_host", "varchar(255)", (c) => c.notNull().defaultTo(""))
      .addColumn("clicks", "bigint", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("link_clicks_daily_pk", ["link_id", "day", "referrer_host"])
      .execute();
    await db.schema
      .createTable("link_click_buffer")
      .$call(withId(db))
      .addColumn("link_id", idType(db), (c) => c.notNull())
      .addColumn("day", "varchar(10)", (c) => c.notNull())
      .addColumn("referrer_host", "varchar(255)", (c) => c.notNull().defaultTo(""))
      .addColumn("clicks", "integer", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("link_click_buffer_link_index")
      .on("link_click_buffer")
      .column("link_id")
      .execute();
    await db.schema
      .createTable("link_click_flushes")
      .addColumn("flush_id", "varchar(100)", (c) => c.primaryKey().notNull())
      .addColumn("source", "varchar(20)", (c) => c.notNull())
      .addColumn("row_count", "integer", (c) => c.notNull())
      .addColumn("clicks", "bigint", (c) => c.notNull())
      .addColumn("flushed_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("link_click_flushes_flushed_at_index")
      .on("link_click_flushes")
      .column("flushed_at")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("link_click_flushes").execute();
    await db.schema.dropTable("link_click_buffer").execute();
    await db.schema.dropTable("link_clicks_daily").execute();
  },
};

/** links.marg's tables, on its own `app` connection (links_db). */
export const linksMigrations: MigrationSet = {
  source: "links",
  connection: "app",
  migrations: {
    "2026_12_01_100000_create_links": createLinks,
    "2026_12_01_100100_create_click_tables": createClickTables,
  },
};
