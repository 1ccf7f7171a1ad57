import { isMargError, MargError } from "@marg/core/errors";
import type { CliContext } from "../cli-context.js";
import type { RbacCommandContext } from "./rbac-open.js";

export type { RbacCommandContext };

/**
 * Runs a command body with an open RBAC context, always closing it. A malformed
 * name is a usage error (exit 2); unknown roles, permissions and users exit 1
 * with the message that lists what exists.
 */
export async function withRbac(
  ctx: CliContext,
  body: (rbac: RbacCommandContext) => Promise<number>,
): Promise<number> {
  const { openRbacCommandContext } = await import("./rbac-open.js");
  const opened = await openRbacCommandContext(ctx);
  try {
    return await body(opened);
  } catch (error) {
    if (isMargError(error) && error.code === "E_RBAC_INVALID_NAME") {
      throw new MargError("E_CLI_USAGE", error.message, { status: 400, cause: error });
    }
    throw error;
  } finally {
    await opened.close();
  }
}

/** After a change: say so when the servers' caches could not be told (they catch up once the store is back). */
export function warnIfCacheMissed(rbac: RbacCommandContext, warn: (text: string) => void): void {
  if (!rbac.rbac.degraded) return;
  warn(
    `the ${rbac.cacheDriver ?? "cache"} store could not be reached, so servers may keep answering from their cache ` +
      "until it is back (they re-read after an outage they saw) or RBAC_CACHE_TTL passes; " +
      "run `marg rbac:warm --invalidate` once it is reachable to be sure.",
  );
}

/**
 * Said after the CLI took away the last active super-admin: it does what the operator
 * asked (the CLI is the root path), but the admin app can no longer grant super-admin.
 */
export function lastSuperAdminWarning(who: string): string {
  return (
    `${who} was the last active super-admin: no one can assign super-admin from the admin app now. ` +
    "Name one with `marg rbac:assign USER super-admin`."
  );
}
