import type { Logger } from "@marg/core/logging";
import type Provider from "oidc-provider";
import type { AdapterPayload, OidcAdapter } from "../stores/oidc-adapter.js";
import type { SessionLinks } from "./session-links.js";

/** What core says ended (Contract 2's `session.ended` payload, the part this needs). */
export interface EndedMargSessions {
  readonly userId: number;
  /** The MARG session handles that ended; null: every session of the user. */
  readonly handles: readonly string[] | null;
}

type ModelWithAdapter = { readonly adapter: OidcAdapter };

/** A client as oidc-provider builds it with back-channel logout on (the method is added by the feature). */
type BackchannelClient = {
  readonly backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
};

/**
 * Ends OIDC sessions: for each client the session signed in to, a back-channel
 * logout (when the client registered a backchannel_logout_uri) and the grant
 * revoked (its access and refresh tokens and codes deleted, so a refresh fails
 * with invalid_grant at once); then the OIDC session itself is deleted.
 */
export class OidcSessionEnder {
  constructor(
    private readonly provider: () => Promise<Provider>,
    private readonly links: SessionLinks,
    private readonly logger: Logger,
  ) {}

  /** The OIDC sessions started from these MARG sessions (core's `session.ended`). */
  async endForMargSessions(ended: EndedMargSessions): Promise<number> {
    const ids = await this.links.sessionsOf(ended.userId, ended.handles);
    await this.endSessions(ids);
    return ids.length;
  }

  async endSessions(oidcSessionIds: readonly string[]): Promise<void> {
    if (oidcSessionIds.length === 0) return;
    const provider = await this.provider();
    const sessions = (provider.Session as unknown as ModelWithAdapter).adapter;
    for (const id of oidcSessionIds) {
      const payload = await sessions.find(id);
      if (payload) await this.#endAuthorizations(provider, payload);
      await sessions.destroy(id);
    }
    await this.links.forget(oidcSessionIds);
  }

  async #endAuthorizations(provider: Provider, session: AdapterPayload): Promise<void> {
    const accountId = session.accountId;
    for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
      const client = (await provider.Client.find(clientId)) as BackchannelClient | undefined;
      if (client?.backchannelLogoutUri !== undefined && accountId !== undefined) {
        try {
          await client.backchannelLogout(accountId, String(authorization.sid ?? ""));
        } catch (error) {
          // A client that is down misses its logout; its tokens are revoked below all the same.
          this.logger.warn({ clientId, err: (error as Error).message }, "back-channel logout failed");
        }
      }
      if (authorization.grantId !== undefined) await revokeGrant(provider, authorization.grantId);
    }
  }
}

/** Deletes a grant and every code and token issued under it. */
export async function revokeGrant(provider: Provider, grantId: string): Promise<void> {
  await Promise.all([
    provider.AccessToken.revokeByGrantId(grantId),
    provider.RefreshToken.revokeByGrantId(grantId),
    provider.AuthorizationCode.revokeByGrantId(grantId),
  ]);
  await (provider.Grant as unknown as ModelWithAdapter).adapter.destroy(grantId);
}
