import type { Grant, KoaContextWithOIDC } from "oidc-provider";
import type { ClientSource } from "../clients/client-source.js";

/**
 * oidc-provider's `loadExistingGrant`, plus consent for first-party clients: a
 * client the operator registered as first-party is granted what it asks for
 * (within the provider's scopes) without a consent page, so the `consent` prompt
 * never stops it. Others keep the grant they were given on the consent page.
 */
export function loadFirstPartyGrant(clients: ClientSource) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { oidc } = ctx;
    const client = oidc.client;
    const session = oidc.session;
    if (client === undefined || session === undefined) return undefined;
    const grantId = oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    const existing = grantId === undefined ? undefined : await oidc.provider.Grant.find(grantId);
    const accountId = session.accountId;
    if (accountId === undefined || !(await clients.find(client.clientId))?.firstParty) return existing;
    const grant = existing ?? new oidc.provider.Grant({ clientId: client.clientId, accountId });
    const wanted = [...oidc.requestParamOIDCScopes].filter(
      (scope) => !grant.getOIDCScope().split(" ").includes(scope),
    );
    if (existing === undefined || wanted.length > 0) {
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(" "));
      await grant.save();
    }
    return grant;
  };
}
