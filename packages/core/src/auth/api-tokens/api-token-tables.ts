import type { Generated } from "kysely";

/**
 * One personal API token. Only the SHA-256 of the token is stored. `permissions`
 * (a JSON array of permission names or patterns) limits it to part of what its
 * holder holds; `apps` (a JSON array of app ids, or null for every app) to some apps.
 */
export interface PersonalAccessTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  permissions: string;
  apps: string | null;
  expires_at: number | null;
  last_used_at: number | null;
  created_at: number;
  revoked_at: number | null;
}

export interface ApiTokenDatabase {
  personal_access_tokens: PersonalAccessTokensTable;
}
