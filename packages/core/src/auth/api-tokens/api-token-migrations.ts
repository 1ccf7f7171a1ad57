import type { Migration } from "kysely";
import { withId } from "../../db/schema-helpers.js";

/** Personal API tokens, in the shared `marg-rbac` database beside `users`. */
export const createPersonalAccessTokens: Migration = {
  async up(db) {
    await db.schema
      .createTable("personal_access_tokens")
      .$call(withId(db))
      // BIGINT like auth's `users.id`: a foreign key's type must match it on MySQL.
      .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("name", "varchar(100)", (c) => c.notNull())
      .addColumn("token_hash", "char(64)", (c) => c.notNull())
      .addColumn("permissions", "text", (c) => c.notNull())
      .addColumn("apps", "text")
      .addColumn("expires_at", "bigint")
      .addColumn("last_used_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("revoked_at", "bigint")
      .execute();
    await db.schema
      .createIndex("personal_access_tokens_hash_unique")
      .on("personal_access_tokens")
      .column("token_hash")
      .unique()
      .execute();
    await db.schema
      .createIndex("personal_access_tokens_user_index")
      .on("personal_access_tokens")
      .column("user_id")
      .execute();
  },
  async down(db) {
    await db.schema.dropTable("personal_access_tokens").execute();
  },
};
