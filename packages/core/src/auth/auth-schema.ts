import type { Generated } from "kysely";
import type { ApiTokenDatabase } from "./api-tokens/api-token-tables.js";
import type { PasskeyDatabase } from "./passkeys/passkey-tables.js";
import type { TwoFactorDatabase } from "./two-factor/two-factor-tables.js";

/** Row of `users` in the shared `marg-rbac` database. Times are epoch milliseconds. */
export interface UsersTable {
  id: Generated<number>;
  /** As the user typed it (trimmed), for display and mail. */
  email: string;
  /** Trimmed and lowercased; unique, so `Ann@X.test` and `ann@x.test` are one account. */
  email_normalized: string;
  name: string;
  password_hash: string;
  avatar_path: string | null;
  disabled_at: number | null;
  last_login_at: number | null;
  password_changed_at: number;
  created_at: number;
  updated_at: number;
}

/** One password-reset link. Only the SHA-256 of the token is stored. */
export interface PasswordResetsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** One fixed-window failure counter of the database throttle store. */
export interface LoginAttemptsTable {
  throttle_key: string;
  hits: number;
  expires_at: number;
}

/** Why an account link was mailed: a visitor signed up, or an administrator invited someone. */
export type AccountInvitationPurpose = "signup" | "invite";

/**
 * One single-use link that lets the owner of an address create their account (see
 * AccountInvitationService). Only the SHA-256 of the token is stored.
 */
export interface AccountInvitationsTable {
  id: Generated<number>;
  email: string;
  email_normalized: string;
  purpose: AccountInvitationPurpose;
  /** JSON array of role names an invite grants; null for a sign-up (REGISTRATION_ROLE decides). */
  roles: string | null;
  /** The administrator who invited; null for a sign-up. */
  invited_by: number | null;
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  /** The account the link created, once used. */
  user_id: number | null;
  created_at: number;
}

/** The tables auth owns, as Kysely sees them. */
export interface AuthDatabase extends TwoFactorDatabase, ApiTokenDatabase, PasskeyDatabase {
  users: UsersTable;
  password_resets: PasswordResetsTable;
  login_attempts: LoginAttemptsTable;
  account_invitations: AccountInvitationsTable;
}
