import { idType, isMysql, type MigrationSet } from "@marg/core/db";
import { type Kysely, type Migration, sql } from "kysely";

/**
 * A varchar that compares byte for byte on MySQL (its default collation folds
 * case, and oidc-provider's ids are case-sensitive random strings); plain on SQLite.
 */
function binaryText(db: Kysely<unknown>, length: number) {
  return isMysql(db)
    ? sql`varchar(${sql.raw(String(length))}) character set utf8mb4 collate utf8mb4_bin`
    : sql`varchar(${sql.raw(String(length))})`;
}

const createOidcTables: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("oidc_payloads")
      .addColumn("model", "varchar(40)", (c) => c.notNull())
      .addColumn("id", binaryText(db, 255), (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("grant_id", binaryText(db, 255))
      .addColumn("user_code", binaryText(db, 255))
      .addColumn("uid", binaryText(db, 255))
      .addColumn("expires_at", "bigint")
      .addColumn("consumed_at", "bigint")
      .addPrimaryKeyConstraint("oidc_payloads_pk", ["model", "id"])
      .execute();
    await db.schema.createIndex("oidc_payloads_grant_index").on("oidc_payloads").column("grant_id").execute();
    await db.schema
      .createIndex("oidc_payloads_user_code_index")
      .on("oidc_payloads")
      .columns(["model", "user_code"])
      .execute();
    await db.schema
      .createIndex("oidc_payloads_uid_index")
      .on("oidc_payloads")
      .columns(["model", "uid"])
      .execute();
    await db.schema
      .createIndex("oidc_payloads_expires_index")
      .on("oidc_payloads")
      .column("expires_at")
      .execute();
    await db.schema
      .createTable("oidc_signing_keys")
      .addColumn("kid", "varchar(64)", (c) => c.primaryKey().notNull())
      .addColumn("alg", "varchar(16)", (c) => c.notNull())
      .addColumn("public_jwk", "text", (c) => c.notNull())
      .addColumn("private_sealed", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("retired_at", "bigint")
      .execute();
    await db.schema
      .createTable("oidc_session_links")
      .addColumn("oidc_session_id", binaryText(db, 255), (c) => c.primaryKey().notNull())
      .addColumn("user_id", idType(db), (c) => c.notNull())
      .addColumn("marg_handle", binaryText(db, 128), (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("oidc_session_links_user_index")
      .on("oidc_session_links")
      .columns(["user_id", "marg_handle"])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("oidc_session_links").execute();
    await db.schema.dropTable("oidc_signing_keys").execute();
    await db.schema.dropTable("oidc_payloads").execute();
  },
};

/** id.marg's tables, on its own `app` connection (id_db). */
export const idMigrations: MigrationSet = {
  source: "id",
  connection: "app",
  migrations: {
    "2026_12_05_230000_create_oidc_tables": createOidcTables,
  },
};
