import { idType, withId } from "@marg/core/db";
import type { Kysely, Migration } from "kysely";

/**
 * `feedback` in `klue_portal_business` (the `business` connection). Admin lists
 * it by reading this table over its own business connection, never by
 * importing flow: the columns are documented in tables.ts.
 */
export const createFeedback: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("feedback")
      .$call(withId(db))
      .addColumn("app", "varchar(32)", (col) => col.notNull())
      .addColumn("user_id", idType(db), (col) => col.notNull())
      .addColumn("user_email", "varchar(254)", (col) => col.notNull())
      .addColumn("rating", "smallint", (col) => col.notNull())
      .addColumn("body", "text", (col) => col.notNull())
      .addColumn("page", "varchar(500)", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema.createIndex("feedback_created_at_index").on("feedback").column("created_at").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("feedback").execute();
  },
};
