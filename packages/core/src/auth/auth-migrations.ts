import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import type { MigrationSet } from "../db/migration-types.js";
import { sqlDialectOf } from "../db/sql-dialect.js";
import { createPersonalAccessTokens } from "./api-tokens/api-token-migrations.js";
import { createUserPasskeys } from "./passkeys/passkey-migrations.js";
import { createTwoFactorTables } from "./two-factor/two-factor-migrations.js";

/**
 * SQLite only auto-increments an `integer primary key`; MySQL wants `bigint`.
 * Both hold 64-bit ids, so the tables read the same on either dialect.
 */
function idType(db: Kysely<unknown>): "integer" | "bigint" {
  return sqlDialectOf(db) === "sqlite" ? "integer" : "bigint";
}

const autoId = (col: ColumnDefinitionBuilder) => col.primaryKey().autoIncrement().notNull();

const createUsers: Migration = {
  async up(db) {
    await db.schema
      .createTable("users")
      .addColumn("id", idType(db), autoId)
      // 254 is the longest address SMTP carries; 4 bytes a character stays inside MySQL's index limit.
      .addColumn("email", "varchar(254)", (c) => c.notNull())
      .addColumn("email_normalized", "varchar(254)", (c) => c.notNull())
      .addColumn("name", "varchar(120)", (c) => c.notNull())
      .addColumn("password_hash", "varchar(255)", (c) => c.notNull())
      .addColumn("avatar_path", "varchar(500)")
      .addColumn("disabled_at", "bigint")
      .addColumn("last_login_at", "bigint")
      .addColumn("password_changed_at", "bigint", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("users_email_normalized_unique")
      .on("users")
      .column("email_normalized")
      .unique()
      .execute();
    await db.schema.createIndex("users_name_index").on("users").column("name").execute();
  },
  async down(db) {
    await db.schema.dropTable("users").execute();
  },
};

const createPasswordResets: Migration = {
  async up(db) {
    await db.schema
      .createTable("password_resets")
      .addColumn("id", idType(db), autoId)
      .addColumn("user_id", "bigint", (c) => c.notNull().references("users.id").onDelete("cascade"))
      // Hex SHA-256 of the token: a leaked table gives no usable link.
      .addColumn("token_hash", "char(64)", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("password_resets_token_hash_unique")
      .on("password_resets")
      .column("token_hash")
      .unique()
      .execute();
    await db.schema
      .createIndex("password_resets_user_id_index")
      .on("password_resets")
      .column("user_id")
      .execute();
  },
  async down(db) {
    await db.schema.dropTable("password_resets").execute();
  },
};

const createLoginAttempts: Migration = {
  async up(db) {
    await db.schema
      .createTable("login_attempts")
      // Keys are hashed by the sign-in service, so no email or IP sits here in clear.
      .addColumn("throttle_key", "varchar(191)", (c) => c.primaryKey().notNull())
      .addColumn("hits", "integer", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("login_attempts_expires_at_index")
      .on("login_attempts")
      .column("expires_at")
      .execute();
  },
  async down(db) {
    await db.schema.dropTable("login_attempts").execute();
  },
};

const createAccountInvitations: Migration = {
  async up(db) {
    await db.schema
      .createTable("account_invitations")
      .addColumn("id", idType(db), autoId)
      .addColumn("email", "varchar(254)", (c) => c.notNull())
      .addColumn("email_normalized", "varchar(254)", (c) => c.notNull())
      .addColumn("purpose", "varchar(16)", (c) => c.notNull())
      .addColumn("roles", "varchar(2000)")
      // No foreign key: the audit log, not this table, keeps who invited once an admin is deleted.
      .addColumn("invited_by", "bigint")
      // Hex SHA-256 of the token, as for password resets: a leaked table opens no account.
      .addColumn("token_hash", "char(64)", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .addColumn("user_id", "bigint")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("account_invitations_token_hash_unique")
      .on("account_invitations")
      .column("token_hash")
      .unique()
      .execute();
    await db.schema
      .createIndex("account_invitations_email_index")
      .on("account_invitations")
      .column("email_normalized")
      .execute();
  },
  async down(db) {
    await db.schema.dropTable("account_invitations").execute();
  },
};

/**
 * Auth's tables in the shared `marg-rbac` database: users, password-reset links,
 * account invitations (sign-up and invite links) and the database throttle store's counters. Runs on SQLite and MySQL/MariaDB.
 */
export const authMigrations: MigrationSet = {
  source: "core:auth",
  connection: "rbac",
  migrations: {
    "2026_11_25_100000_create_users": createUsers,
    "2026_11_25_100100_create_password_resets": createPasswordResets,
    "2026_11_25_100200_create_login_attempts": createLoginAttempts,
    "2026_12_05_170000_create_account_invitations": createAccountInvitations,
    "2026_12_06_090000_create_two_factor": createTwoFactorTables,
    "2026_12_06_090100_create_personal_access_tokens": createPersonalAccessTokens,
    "2026_12_06_090200_create_user_passkeys": createUserPasskeys,
  },
};
