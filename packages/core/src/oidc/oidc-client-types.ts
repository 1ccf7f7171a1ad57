/** Confidential clients authenticate with a secret; public ones (SPAs, native apps) with PKCE alone. */
export type OidcClientType = "confidential" | "public";

/** A relying party allowed to sign people in through MARG's id app; never its secret. */
export interface OidcClient {
  /** Operator-chosen slug ([a-z0-9-], ≤ 64), e.g. "grafana". */
  readonly clientId: string;
  /** Shown on the consent page. */
  readonly name: string;
  /** public ⇒ no secret, PKCE required (token_endpoint_auth_method none). */
  readonly type: OidcClientType;
  /** Matched exactly, as stored. */
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly backchannelLogoutUri: string | null;
  /** True ⇒ consent is skipped. */
  readonly firstParty: boolean;
  /** RBAC app whose permissions the client may see (permissions named "<appScope>.…"); null: none. */
  readonly appScope: string | null;
  readonly createdAt: Date;
  readonly secretRotatedAt: Date | null;
}

/** What an operator gives to register a client. */
export interface NewOidcClient {
  readonly clientId: string;
  readonly name: string;
  /** Default: confidential. */
  readonly type?: OidcClientType;
  /** At least one. */
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string | null;
  readonly firstParty?: boolean;
  readonly appScope?: string | null;
}

/** The client registry: the id app reads it, admin pages and `marg oidc:client` change it. */
export interface OidcClientRegistry {
  /** Registers a client; a confidential one's secret is returned this once and never again. */
  create(input: NewOidcClient): Promise<{ client: OidcClient; secret: string | null }>;
  /** Every client, by client id. */
  list(): Promise<readonly OidcClient[]>;
  find(clientId: string): Promise<OidcClient | null>;
  /** True only for a confidential client whose current secret is `presented` (constant-time on the hash). */
  verifySecret(clientId: string, presented: string): Promise<boolean>;
  /** A new secret, returned once; the old one stops working. E_OIDC_CLIENT_UNKNOWN, E_OIDC_CLIENT_PUBLIC. */
  rotateSecret(clientId: string): Promise<string>;
  /** False when no such client existed. */
  delete(clientId: string): Promise<boolean>;
}
