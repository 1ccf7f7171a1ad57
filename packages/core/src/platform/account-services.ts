import type { Kysely } from "kysely";
import { ApiTokenCache } from "../auth/api-tokens/api-token-cache.js";
import { ApiTokenService } from "../auth/api-tokens/api-token-service.js";
import type { AuthDatabase } from "../auth/auth-schema.js";
import { PasskeyService } from "../auth/passkeys/passkey-service.js";
import { TwoFactorService } from "../auth/two-factor/two-factor-service.js";
import type { CacheStore } from "../cache/types.js";
import { appOrigins } from "../config/app-origins.js";
import type { MargConfig } from "../config/config-types.js";
import { permissionPatternCovers } from "../rbac/permission-pattern.js";
import type { RbacService } from "../rbac/rbac-service.js";

/** What guards an account beyond its password: two-factor, passkeys and personal API tokens. */
export interface AccountServices {
  readonly twoFactor: TwoFactorService;
  readonly passkeys: PasskeyService;
  readonly tokens: ApiTokenService;
}

/**
 * How long a bearer token's lookup is cached: revoking drops it at once; this only
 * bounds how long a holder's renamed profile or a missed drop (cache down) lingers.
 */
export const API_TOKEN_CACHE_SECONDS = 60;

/**
 * The account services of one process, over the shared RBAC database. Passkeys
 * belong to the parent domain (SESSION_DOMAIN's, else APP_DOMAIN), so one passkey
 * signs in on every app; a token carries only permissions its holder holds.
 */
export function createAccountServices(
  config: MargConfig,
  deps: { db: Kysely<AuthDatabase>; rbac: RbacService; cache?: CacheStore | undefined },
): AccountServices {
  const keys = {
    current: config.app.key.reveal(),
    previous: config.app.previousKeys.map((key) => key.reveal()),
  };
  const rpId = (config.session.domain ?? config.app.domain).replace(/^\./, "");
  return {
    twoFactor: new TwoFactorService({ db: deps.db, keys, issuer: "MARG" }),
    passkeys: new PasskeyService({
      db: deps.db,
      relyingParty: { id: rpId, name: "MARG", origins: [...appOrigins(config).keys()] },
    }),
    tokens: createApiTokenService(deps),
  };
}

/**
 * The API-token service over the RBAC database, as the servers and `marg token:*` build
 * it: a token carries only what its holder holds, and (with `cache`, the shared
 * CACHE_STORE) its lookup is cached and dropped on revoke in every process.
 */
export function createApiTokenService(deps: {
  db: Kysely<AuthDatabase>;
  rbac: RbacService;
  cache?: CacheStore | undefined;
}): ApiTokenService {
  return new ApiTokenService({
    db: deps.db,
    ...(deps.cache === undefined ? {} : { cache: new ApiTokenCache(deps.cache, API_TOKEN_CACHE_SECONDS) }),
    // Held in any app: the seeded permissions are app-scoped (tasks.* counts in flow), and
    // every use is checked again against the holder's permissions on the app it is sent to.
    uncoveredPermissions: async (userId, wanted) => {
      const held = await deps.rbac.permissionsFor(userId);
      if (held.superAdmin) return [];
      const grants = held.source.grants;
      return wanted.filter(
        (name) => !grants.some((grant) => permissionPatternCovers(grant.permission, name)),
      );
    },
  });
}
