import type { Migration } from "kysely";
import { withId } from "../../db/schema-helpers.js";

/** Auth's two-factor tables, in the shared `marg-rbac` database beside `users`. */
// `user_id` is BIGINT like auth's `users.id` (a foreign key's type must match it on MySQL).
export const createTwoFactorTables: Migration = {
  async up(db) {
    await db.schema
      .createTable("user_two_factor")
      .addColumn("user_id", "bigint", (c) =>
        c.primaryKey().notNull().references("users.id").onDelete("cascade"),
      )
      .addColumn("secret_sealed", "varchar(255)", (c) => c.notNull())
      .addColumn("confirmed_at", "bigint")
      .addColumn("last_time_step", "bigint", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("user_recovery_codes")
      .$call(withId(db))
      .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("code_mac", "char(64)", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("user_recovery_codes_user_mac_unique")
      .on("user_recovery_codes")
      .columns(["user_id", "code_mac"])
      .unique()
      .execute();
  },
  async down(db) {
    await db.schema.dropTable("user_recovery_codes").execute();
    await db.schema.dropTable("user_two_factor").execute();
  },
};
