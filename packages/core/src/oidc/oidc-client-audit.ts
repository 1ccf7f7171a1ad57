import type { AuditEntry } from "../audit/audit-log.js";
import type { OidcClient } from "./oidc-client-types.js";

/** What the audit trail records about a client; the secret (or its hash) never. */
export type OidcClientAction = "oidc.client.create" | "oidc.client.rotate-secret" | "oidc.client.delete";

/** The audit subject type of a client: its id is the client id. */
export const OIDC_CLIENT_SUBJECT = "oidc_client";

/** A client as the trail keeps it: JSON-safe, without a secret. */
function described(client: OidcClient) {
  return {
    name: client.name,
    type: client.type,
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    backchannelLogoutUri: client.backchannelLogoutUri,
    firstParty: client.firstParty,
    appScope: client.appScope,
  };
}

/**
 * The audit row of one change to a client, written by admin (in the change's
 * transaction) and by `marg oidc:client` (actor null: the operator's CLI).
 */
export function oidcClientAuditEntry(
  action: OidcClientAction,
  client: OidcClient,
  actor: { readonly userId: number | null; readonly ip?: string | null },
): AuditEntry {
  const base = {
    actorUserId: actor.userId,
    action,
    subjectType: OIDC_CLIENT_SUBJECT,
    subjectId: client.clientId,
    ip: actor.ip ?? null,
  };
  if (action === "oidc.client.delete") return { ...base, before: described(client) };
  if (action === "oidc.client.rotate-secret") {
    return { ...base, after: { secretRotatedAt: client.secretRotatedAt?.toISOString() ?? null } };
  }
  return { ...base, after: described(client) };
}
