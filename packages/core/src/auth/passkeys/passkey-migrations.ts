import type { Migration } from "kysely";
import { withId } from "../../db/schema-helpers.js";

/** Users' passkeys, in the shared `marg-rbac` database beside `users`. */
export const createUserPasskeys: Migration = {
  async up(db) {
    await db.schema
      .createTable("user_passkeys")
      .$call(withId(db))
      // BIGINT like auth's `users.id`: a foreign key's type must match it on MySQL.
      .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
      // Credential ids are at most 1023 bytes (WebAuthn §5.8.3); 255 base64url characters cover every real one and stay indexable.
      .addColumn("credential_id", "varchar(255)", (c) => c.notNull())
      .addColumn("public_key", "text", (c) => c.notNull())
      .addColumn("counter", "bigint", (c) => c.notNull())
      .addColumn("transports", "varchar(255)", (c) => c.notNull())
      .addColumn("device_type", "varchar(32)", (c) => c.notNull())
      .addColumn("backed_up", "integer", (c) => c.notNull())
      .addColumn("name", "varchar(100)", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("last_used_at", "bigint")
      .execute();
    await db.schema
      .createIndex("user_passkeys_credential_unique")
      .on("user_passkeys")
      .column("credential_id")
      .unique()
      .execute();
    await db.schema.createIndex("user_passkeys_user_index").on("user_passkeys").column("user_id").execute();
  },
  async down(db) {
    await db.schema.dropTable("user_passkeys").execute();
  },
};
