import type { Generated } from "kysely";

/**
 * A user's TOTP authenticator. The secret is sealed with a key derived from APP_KEY
 * (AES-256-GCM, bound to the user id), so a copy of the table signs no one in.
 * `confirmed_at` stays null until the user has typed one code from the app:
 * until then two-factor is not on.
 */
export interface UserTwoFactorTable {
  user_id: number;
  secret_sealed: string;
  confirmed_at: number | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  last_time_step: number;
  created_at: number;
}

/** One single-use recovery code, stored as an HMAC under a key derived from APP_KEY. */
export interface UserRecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_mac: string;
  used_at: number | null;
  created_at: number;
}

export interface TwoFactorDatabase {
  user_two_factor: UserTwoFactorTable;
  user_recovery_codes: UserRecoveryCodesTable;
}
