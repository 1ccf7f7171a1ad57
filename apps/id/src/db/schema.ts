/**
 * id_db's tables. Times are epoch milliseconds (both dialects read them the same way).
 */

/**
 * oidc-provider's stored models (sessions, interactions, grants, codes, tokens)
 * when the installation has no Redis: one row per (model, id), the payload as
 * JSON, the lookup columns oidc-provider asks by (grant id, user code, uid).
 */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  /** Epoch ms; null = never expires. */
  expires_at: number | null;
  consumed_at: number | null;
}

/**
 * The provider's signing keys. The private part is sealed with AES-256-GCM under a
 * key derived from APP_KEY; the public JWK is plain (it is published anyway).
 */
export interface OidcSigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** base64 of iv ‖ ciphertext ‖ tag (core's sealAesGcm) of the private JWK. */
  private_sealed: string;
  created_at: number;
  /** When a newer key took over signing; null = the current key. */
  retired_at: number | null;
}

/**
 * Which MARG session an OIDC session was signed in from: so that the end of a MARG
 * session (sign-out anywhere, an admin ending it, the user disabled) ends the
 * OIDC sessions and grants it started.
 */
export interface OidcSessionLinksTable {
  /** oidc-provider's Session id (its `jti`, the key it is stored under). */
  oidc_session_id: string;
  user_id: number;
  /** The MARG session's handle (`request.session.handle`). */
  marg_handle: string;
  created_at: number;
  expires_at: number;
}

export interface IdTables {
  oidc_payloads: OidcPayloadsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  oidc_session_links: OidcSessionLinksTable;
}
