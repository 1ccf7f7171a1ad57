import type { Kysely } from "kysely";
import { ApiTokenService } from "../auth/api-tokens/api-token-service.js";
import type { AuthDatabase } from "../auth/auth-schema.js";
import { PasskeyService } from "../auth/passkeys/passkey-service.js";
import { TwoFactorService } from "../auth/two-factor/two-factor-service.js";
import { appOrigins } from "../config/app-origins.js";
import type { MargConfig } from "../config/config-types.js";
import { holdsPermission } from "../rbac/access-change-policy.js";
import type { RbacService } from "../rbac/rbac-service.js";

/** What guards an account beyond its password: two-factor, passkeys and personal API tokens. */
export interface AccountServices {
  readonly twoFactor: TwoFactorService;
  readonly passkeys: PasskeyService;
  readonly tokens: ApiTokenService;
}

/**
 * The account services of one process, over the shared RBAC database. Passkeys
 * belong to the parent domain (SESSION_DOMAIN's, else APP_DOMAIN), so one passkey
 * signs in on every app; a token carries only permissions its holder holds.
 */
export function createAccountServices(
  config: MargConfig,
  deps: { db: Kysely<AuthDatabase>; rbac: RbacService },
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
    tokens: new ApiTokenService({
      db: deps.db,
      uncoveredPermissions: async (userId, wanted) => {
        const held = await deps.rbac.permissionsFor(userId);
        const holder = { superAdmin: held.superAdmin, grants: held.source.grants };
        return wanted.filter((name) => !holdsPermission(holder, { name, app: null }));
      },
    }),
  };
}
