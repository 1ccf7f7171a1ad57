import type { ClientMetadata } from "oidc-provider";
import type { OidcClient } from "./client-source.js";

/**
 * What the provider is told a confidential client's secret is. It is never
 * compared: the provider's `compareClientSecret` is replaced (create-provider.ts)
 * by the registry's check of the presented secret against the stored SHA-256. The
 * plaintext secret exists only in the client's hands; the registry stores its
 * hash; and nothing the provider could do with "the secret" works without it,
 * because the features that need the plaintext (HS256/384/512 ID tokens,
 * client_secret_jwt, symmetric encryption) are switched off. Random per process,
 * so it is useless even if it leaked.
 */
export const UNUSED_CLIENT_SECRET = `never-compared-${crypto.randomUUID()}-${crypto.randomUUID()}`;

/**
 * A registry client as oidc-provider client metadata: the authorization code flow
 * with refresh tokens; public clients authenticate with nothing but PKCE (S256,
 * required for them), confidential ones with their secret in the Authorization
 * header (client_secret_basic) or the form body (client_secret_post; the provider
 * accepts either for a client registered with one of them).
 */
export function clientMetadataOf(client: OidcClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_name: client.name,
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...client.postLogoutRedirectUris],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    id_token_signed_response_alg: "RS256",
    ...(client.type === "public"
      ? { token_endpoint_auth_method: "none" }
      : { token_endpoint_auth_method: "client_secret_basic", client_secret: UNUSED_CLIENT_SECRET }),
    ...(client.backchannelLogoutUri === null
      ? {}
      : { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true }),
  };
}
