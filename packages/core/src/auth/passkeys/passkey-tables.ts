import type { Generated } from "kysely";

/**
 * One WebAuthn credential (a passkey) of a user. The relying party is the parent
 * domain (SESSION_DOMAIN), so one passkey signs in on every app. The public key is
 * not a secret; the counter catches a cloned authenticator.
 */
export interface UserPasskeysTable {
  id: Generated<number>;
  user_id: number;
  /** The credential id, base64url, as the browser reports it. */
  credential_id: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** JSON array of transports (usb, internal, hybrid…), for the browser's hints. */
  transports: string;
  /** "singleDevice" or "multiDevice" (synced), as the authenticator says. */
  device_type: string;
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface PasskeyDatabase {
  user_passkeys: UserPasskeysTable;
}
