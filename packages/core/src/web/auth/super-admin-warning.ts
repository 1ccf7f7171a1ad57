import type { Kysely } from "kysely";
import type { Platform } from "../../platform/types.js";
import type { AccessPolicyTables } from "../../rbac/access-change-policy.js";
import { hasActiveSuperAdmin } from "../../rbac/active-super-admins.js";

// Once per process, per platform: the check is one query, and the page must not wait for it.
const checked = new WeakSet<Platform>();

/**
 * In production, logs one warning when the sign-in page is first served and no
 * enabled user holds super-admin: nobody can run the admin app's access pages, and
 * the operator needs `marg user:create`. The route does not wait for it; the
 * promise is for tests.
 */
export function warnOnceWithoutSuperAdmin(platform: Platform): Promise<void> {
  if (platform.config.app.env !== "production" || checked.has(platform)) return Promise.resolve();
  checked.add(platform);
  // rbacDb is typed with auth's tables; the RBAC tables are in the same database.
  const db = platform.rbacDb as unknown as Kysely<AccessPolicyTables>;
  return hasActiveSuperAdmin(db).then(
    (found) => {
      if (!found)
        platform.logger.warn(
          "no active user holds super-admin: create the first admin with `marg user:create EMAIL --role super-admin`",
        );
    },
    (error: unknown) =>
      platform.logger.debug({ err: error }, "super-admin check skipped: the RBAC database is unreachable"),
  );
}
