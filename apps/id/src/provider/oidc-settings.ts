/** Lifetimes (seconds) of what the provider issues, in one place (docs/oidc.md lists them). */
export const OIDC_TTL = {
  AccessToken: 60 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  Interaction: 60 * 60,
  /** A refresh token lives 14 days; each use rotates it (the used one is consumed). */
  RefreshToken: 14 * 24 * 60 * 60,
  Session: 14 * 24 * 60 * 60,
  Grant: 14 * 24 * 60 * 60,
} as const;

/** Scopes a client may ask for, and the claims each one releases. */
export const OIDC_CLAIMS = {
  openid: ["sub"],
  email: ["email", "email_verified"],
  profile: ["name"],
  /** The user's roles and permissions in the client's app scope (find-account.ts). */
  roles: ["roles", "permissions"],
} as const;

export const OIDC_SCOPES = ["openid", "offline_access", "email", "profile", "roles"] as const;

/** The provider's endpoints on the id host (the issuer is the host's origin). */
export const OIDC_ROUTES = {
  authorization: "/authorize",
  token: "/token",
  userinfo: "/userinfo",
  jwks: "/jwks",
  end_session: "/session/end",
  revocation: "/token/revocation",
} as const;

/** The URL paths the Fastify bridge hands to the provider (its routes and their sub-paths). */
export const PROVIDER_PATHS = [
  "/.well-known/openid-configuration",
  OIDC_ROUTES.authorization,
  `${OIDC_ROUTES.authorization}/:uid`,
  OIDC_ROUTES.token,
  OIDC_ROUTES.userinfo,
  OIDC_ROUTES.jwks,
  OIDC_ROUTES.end_session,
  `${OIDC_ROUTES.end_session}/confirm`,
  `${OIDC_ROUTES.end_session}/success`,
  OIDC_ROUTES.revocation,
] as const;

/** Where the provider sends the browser to sign in or consent: the id app's own page. */
export const INTERACTION_PATH = "/interaction";
