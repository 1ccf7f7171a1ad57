import type { Kysely } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";
import { withId } from "../db/schema-helpers.js";

// Kysely hands migrations a Kysely<any>; naming the parameter's type keeps `any` out of this file.
type SchemaDb = Kysely<unknown>;

/**
 * `oidc_clients` lives in marg-rbac beside the users and roles whose claims the id
 * app hands to these clients, so admin, the CLI and the id app read one registry.
 */
export const oidcMigrations: MigrationSet = {
  source: "core:oidc",
  connection: "rbac",
  migrations: {
    "2026_12_06_120000_create_oidc_clients": {
      async up(db: SchemaDb) {
        await db.schema
          .createTable("oidc_clients")
          .$call(withId(db))
          .addColumn("client_id", "varchar(64)", (c) => c.notNull())
          .addColumn("name", "varchar(120)", (c) => c.notNull())
          .addColumn("type", "varchar(16)", (c) => c.notNull())
          .addColumn("secret_hash", "char(64)")
          .addColumn("redirect_uris", "text", (c) => c.notNull())
          .addColumn("post_logout_redirect_uris", "text", (c) => c.notNull())
          .addColumn("backchannel_logout_uri", "varchar(2000)")
          .addColumn("first_party", "smallint", (c) => c.notNull())
          .addColumn("app_scope", "varchar(40)")
          .addColumn("created_at", "bigint", (c) => c.notNull())
          .addColumn("updated_at", "bigint", (c) => c.notNull())
          .addColumn("secret_rotated_at", "bigint")
          .execute();
        await db.schema
          .createIndex("oidc_clients_client_id_unique")
          .on("oidc_clients")
          .column("client_id")
          .unique()
          .execute();
      },
      async down(db: SchemaDb) {
        await db.schema.dropTable("oidc_clients").execute();
      },
    },
  },
};
