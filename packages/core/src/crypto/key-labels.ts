/**
 * Every HKDF label MARG derives from APP_KEY, in one place, so no two purposes
 * can ever share a derived key by accident. A label is never reused for another
 * purpose; to change a format, add a label with the next version number.
 */
export const KEY_LABELS = {
  /** HMAC-SHA256 key that authenticates the session id inside the cookie. */
  sessionCookieMac: "marg/session/cookie-mac/v1",
  /** AES-256-GCM master key for session data; a per-session key is derived from it. */
  sessionPayload: "marg/session/payload-aead/v1",
  /** HMAC-SHA256 key that binds CSRF tokens to a session id. */
  sessionCsrf: "marg/session/csrf/v1",
  /** AES-256-GCM key that seals a user's TOTP secret at rest. */
  twoFactorSecret: "marg/auth/totp-secret-aead/v1",
  /** HMAC-SHA256 key under which two-factor recovery codes are stored. */
  recoveryCodeMac: "marg/auth/recovery-code-mac/v1",
  /** AES-256-GCM key that seals the id app's OIDC signing keys (private JWKs) at rest. */
  oidcSigningKey: "marg/oidc/signing-key-aead/v1",
  /** HMAC key oidc-provider signs its own cookies (interaction, OIDC session) with. */
  oidcCookieSigning: "marg/oidc/cookie-signing/v1",
} as const;

export type KeyLabel = (typeof KEY_LABELS)[keyof typeof KEY_LABELS];
