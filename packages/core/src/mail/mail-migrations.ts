import type { Kysely, Migration } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";

const createSentMailTable: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("mail_sent")
      .addColumn("send_key", "varchar(191)", (c) => c.primaryKey().notNull())
      .addColumn("message_id", "varchar(255)", (c) => c.notNull())
      .addColumn("sent_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("mail_sent_sent_at_index").on("mail_sent").column("sent_at").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("mail_sent").execute();
  },
};

/** The SMTP mailer's record of what it sent, on the shared `rbac` connection every worker opens. */
export const mailMigrations: MigrationSet = {
  source: "core:mail",
  connection: "rbac",
  migrations: { "2026_12_05_170000_create_mail_sent_table": createSentMailTable },
};
