import { idType, withId, withTimestampsMs } from "@marg/core/db";
import type { Kysely, Migration } from "kysely";

/** Reports a user asked for, listed newest first on their reports page. */
export const createReports: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("reports")
      .$call(withId(db))
      .addColumn("user_id", idType(db), (col) => col.notNull())
      .addColumn("kind", "varchar(32)", (col) => col.notNull())
      .addColumn("scope", "varchar(8)", (col) => col.notNull())
      .addColumn("from_on", "varchar(10)", (col) => col.notNull())
      .addColumn("to_on", "varchar(10)", (col) => col.notNull())
      .addColumn("state", "varchar(16)", (col) => col.notNull())
      .addColumn("file_key", "varchar(255)")
      .addColumn("row_count", "integer")
      .addColumn("error", "varchar(500)")
      .$call(withTimestampsMs)
      .execute();
    await db.schema
      .createIndex("reports_user_id_created_at_index")
      .on("reports")
      .columns(["user_id", "created_at"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("reports").execute();
  },
};
