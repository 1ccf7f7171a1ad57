import { idType, withId } from "@marg/core/db";
import type { Kysely, Migration } from "kysely";

/** Metadata of files attached to tasks; the bytes live under storage/attachments/<taskId>/. */
export const createTaskAttachments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("task_attachments")
      .$call(withId(db))
      .addColumn("task_id", idType(db), (col) => col.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("user_id", idType(db), (col) => col.notNull())
      .addColumn("original_name", "varchar(255)", (col) => col.notNull())
      .addColumn("content_type", "varchar(100)", (col) => col.notNull())
      .addColumn("size_bytes", "bigint", (col) => col.notNull())
      .addColumn("storage_key", "varchar(255)", (col) => col.notNull().unique())
      .addColumn("preview_key", "varchar(255)")
      .addColumn("preview_state", "varchar(16)", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("task_attachments_task_id_index")
      .on("task_attachments")
      .column("task_id")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("task_attachments").execute();
  },
};
