import { idType, withId, withTimestampsMs } from "@marg/core/db";
import type { Kysely, Migration } from "kysely";

/**
 * `tasks` with the two indexes the seed's troubleshooting adds, under the names
 * Laravel gives them (`marg doctor` looks for exactly these), plus the ones the
 * list's filters need.
 */
export const createTasks: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("tasks")
      .$call(withId(db))
      .addColumn("user_id", idType(db), (col) => col.notNull())
      .addColumn("assignee_id", idType(db))
      .addColumn("title", "varchar(200)", (col) => col.notNull())
      .addColumn("description", "text", (col) => col.notNull())
      .addColumn("status", "varchar(10)", (col) => col.notNull())
      .addColumn("priority", "smallint", (col) => col.notNull())
      .addColumn("due_on", "varchar(10)")
      .$call(withTimestampsMs)
      .execute();
    await db.schema.createIndex("tasks_user_id_index").on("tasks").column("user_id").execute();
    await db.schema
      .createIndex("tasks_status_created_at_index")
      .on("tasks")
      .columns(["status", "created_at"])
      .execute();
    await db.schema.createIndex("tasks_assignee_id_index").on("tasks").column("assignee_id").execute();
    await db.schema.createIndex("tasks_due_on_index").on("tasks").column("due_on").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("tasks").execute();
  },
};

/** Comments and the activity history, both read per task in time order. */
export const createTaskCommentsAndActivity: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("task_comments")
      .$call(withId(db))
      .addColumn("task_id", idType(db), (col) => col.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("user_id", idType(db), (col) => col.notNull())
      .addColumn("body", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("task_comments_task_id_created_at_index")
      .on("task_comments")
      .columns(["task_id", "created_at"])
      .execute();
    await db.schema
      .createTable("task_activity")
      .$call(withId(db))
      .addColumn("task_id", idType(db), (col) => col.notNull().references("tasks.id").onDelete("cascade"))
      .addColumn("user_id", idType(db), (col) => col.notNull())
      .addColumn("action", "varchar(32)", (col) => col.notNull())
      .addColumn("details", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("task_activity_task_id_created_at_index")
      .on("task_activity")
      .columns(["task_id", "created_at"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("task_activity").execute();
    await db.schema.dropTable("task_comments").execute();
  },
};
