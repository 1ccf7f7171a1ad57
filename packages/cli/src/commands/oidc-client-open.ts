import { type AuditDatabase, AuditLog } from "@marg/core/audit";
import { createLogger } from "@marg/core/logging";
import {
  type OidcClient,
  type OidcClientAction,
  type OidcClientRegistry,
  oidcClientAuditEntry,
} from "@marg/core/oidc";
import { createPlatform } from "@marg/core/platform";
import type { CliContext } from "../cli-context.js";

// Loaded by withOidcClients when an oidc:client command runs, so declaring the commands loads none of it.

/** What an oidc:client command works with: the platform's registry and the audit trail. */
export interface OidcClientCommandContext {
  readonly clients: OidcClientRegistry;
  /** Records a change in the audit trail as the operator's CLI (no actor). */
  audit(action: OidcClientAction, client: OidcClient): Promise<void>;
  close(): Promise<void>;
}

export async function openOidcClientCommandContext(ctx: CliContext): Promise<OidcClientCommandContext> {
  const config = ctx.config();
  const logger = createLogger({ app: config.app, log: { level: "silent" } });
  const platform = await createPlatform(config, { logger });
  const trail = new AuditLog(platform.databases.connection<AuditDatabase>("rbac"));
  return {
    clients: platform.oidcClients,
    audit: (action, client) => trail.record(oidcClientAuditEntry(action, client, { userId: null })),
    close: () => platform.close(),
  };
}
