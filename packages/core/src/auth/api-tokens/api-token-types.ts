/** A token as its owner and admins see it; never the secret. */
export interface ApiToken {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  /** Permission names or patterns; the token can do what these and its holder both allow. */
  readonly permissions: readonly string[];
  /** App ids the token works on; null for every app. */
  readonly apps: readonly string[] | null;
  readonly expiresAt: number | null;
  readonly lastUsedAt: number | null;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Who holds a token, as a bearer request shows them (`request.user`): no users query per call. */
export interface ApiTokenHolder {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly avatarPath: string | null;
}

/** A token that authenticated, with its holder. */
export interface AuthenticatedApiToken extends ApiToken {
  readonly holder: ApiTokenHolder;
}
