import type { Generated } from "kysely";

/**
 * One registered OIDC client in the shared `marg-rbac` database. URI lists are JSON
 * arrays; `secret_hash` is the hex SHA-256 of the secret (null for a public client);
 * `first_party` is 0/1 so both dialects read it the same. Times are epoch ms.
 */
export interface OidcClientsTable {
  id: Generated<number>;
  client_id: string;
  name: string;
  type: string;
  secret_hash: string | null;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  first_party: number;
  app_scope: string | null;
  created_at: number;
  updated_at: number;
  secret_rotated_at: number | null;
}

export interface OidcDatabase {
  oidc_clients: OidcClientsTable;
}
