import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * oidc-provider's storage contract, one instance per model name ("Session",
 * "Grant", "AuthorizationCode", …). The id app has two drivers: Redis
 * (redis-oidc-adapter.ts) and its own SQL database (sql-oidc-adapter.ts); both pass
 * the same conformance suite (oidc-adapter.conformance.test.ts).
 */
export type OidcAdapter = Adapter;
export type { AdapterPayload };

/** Makes the adapter of one model; what oidc-provider's `adapter` option takes. */
export type OidcAdapterFactory = (model: string) => OidcAdapter;

/**
 * The models whose entries belong to a grant: revoking a grant deletes them all
 * (oidc-provider calls `revokeByGrantId` on each of these).
 */
export const GRANTABLE_MODELS: ReadonlySet<string> = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "Grant",
]);

/** Epoch seconds, as oidc-provider writes `consumed`. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
