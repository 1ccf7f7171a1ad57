import { deriveKey, KEY_LABELS } from "@marg/core/crypto";
import type { Logger } from "@marg/core/logging";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { createFindAccount } from "../accounts/find-account.js";
import type { ClientSource } from "../clients/client-source.js";
import { RegistryClientAdapter } from "../clients/registry-client-adapter.js";
import type { PrivateJwk } from "../keys/signing-keys.js";
import type { SessionLinks } from "../logout/session-links.js";
import type { OidcAdapterFactory } from "../stores/oidc-adapter.js";
import { loadFirstPartyGrant } from "./first-party-grant.js";
import { margSessionCheck } from "./marg-session-check.js";
import { INTERACTION_PATH, OIDC_CLAIMS, OIDC_ROUTES, OIDC_SCOPES, OIDC_TTL } from "./oidc-settings.js";
import { installProviderMiddleware } from "./provider-middleware.js";
import { renderLogoutDone, renderLogoutQuestion, renderProviderError } from "./provider-pages.js";

export interface ProviderDeps {
  readonly issuer: string;
  readonly adapters: OidcAdapterFactory;
  readonly clients: ClientSource;
  readonly keys: readonly PrivateJwk[];
  /** APP_KEY then APP_PREVIOUS_KEYS: the provider's cookies are signed with keys derived from them. */
  readonly masterKeys: readonly Buffer[];
  readonly links: SessionLinks;
  readonly findAccount: ReturnType<typeof createFindAccount>;
  readonly logger: Logger;
  readonly production: boolean;
}

/**
 * oidc-provider configured as MARG's OpenID Connect provider: the authorization
 * code flow (PKCE S256, required for public clients), refresh tokens (with
 * `offline_access`, rotated at every use), userinfo, RP-initiated and back-channel
 * logout, discovery and JWKS; clients from core's registry; sign-in and consent
 * at the id app's /interaction pages, which finish from the MARG session.
 */
export function createProvider(deps: ProviderDeps): Provider {
  const configuration: Configuration = {
    adapter: (model: string) =>
      model === "Client" ? new RegistryClientAdapter(deps.clients) : deps.adapters(model),
    clients: [],
    findAccount: deps.findAccount,
    jwks: { keys: deps.keys.map((key) => ({ ...key })) },
    cookies: {
      keys: deps.masterKeys.map((master) => deriveKey(master, KEY_LABELS.oidcCookieSigning)),
      // Host-only cookies of the id host, named apart from MARG's session cookie.
      names: { session: "oidc_session", interaction: "oidc_interaction", resume: "oidc_resume" },
      long: { httpOnly: true, sameSite: "lax", secure: deps.production, signed: true },
      short: { httpOnly: true, sameSite: "lax", secure: deps.production, signed: true },
    },
    claims: Object.fromEntries(Object.entries(OIDC_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
    scopes: [...OIDC_SCOPES],
    // Claims of the granted scopes go into the ID token too: most RPs read them there.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    clientAuthMethods: ["none", "client_secret_basic", "client_secret_post"],
    // Asymmetric only: HS* would sign with the client's plaintext secret, which MARG never holds.
    enabledJWA: {
      idTokenSigningAlgValues: ["RS256", "ES256"],
      userinfoSigningAlgValues: ["RS256", "ES256"],
      clientAuthSigningAlgValues: ["RS256", "ES256"],
      requestObjectSigningAlgValues: ["RS256", "ES256"],
    },
    pkce: {
      // Public clients must use PKCE (S256, the only method oidc-provider accepts); others may.
      required: (_ctx, client) => client.clientAuthMethod === "none",
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: renderLogoutQuestion,
        postLogoutSuccessSource: renderLogoutDone,
      },
    },
    routes: { ...OIDC_ROUTES },
    ttl: { ...OIDC_TTL },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
      policy: margSessionCheck(deps.links),
    },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    // Every refresh consumes the token it used: a stolen refresh token is good once, and its replay revokes the grant.
    rotateRefreshToken: true,
    loadExistingGrant: loadFirstPartyGrant(deps.clients),
    // A browser SPA (public client) may call the token and userinfo endpoints from its registered origins.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => URL.canParse(uri) && new URL(uri).origin === origin) ?? false,
    renderError: renderProviderError,
    // The provider's only outgoing requests are back-channel logouts to URIs an admin
    // registered (no dynamic registration, request_uri or jwks_uri fetching is on), and
    // MARG's clients often live on the intranet (Grafana on 10.x): oidc-provider's
    // refusal of private and loopback addresses is dropped; its 2.5 s timeout stays.
    fetch: (input, init) => {
      const { dispatcher: _dispatcher, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(input, rest);
    },
  };
  const provider = new Provider(deps.issuer, configuration);
  // Behind the Fastify bridge, which sets X-Forwarded-Proto/Host from the issuer (provider-bridge.ts).
  provider.proxy = true;
  replaceSecretComparison(provider, deps.clients);
  installProviderMiddleware(provider, deps);
  return provider;
}

/**
 * The registry keeps only the SHA-256 of a confidential client's secret, so the
 * provider cannot compare plaintexts: its comparison is replaced by the
 * registry's (hash the presented secret, compare in constant time). This covers
 * the secret from the Authorization header and from the form body alike, since
 * the provider extracts both before calling it.
 */
function replaceSecretComparison(provider: Provider, clients: ClientSource): void {
  const prototype = provider.Client.prototype as unknown as {
    clientId: string;
    compareClientSecret(actual: string): Promise<boolean>;
  };
  prototype.compareClientSecret = function compareClientSecret(this: { clientId: string }, actual: string) {
    return clients.verifySecret(this.clientId, actual);
  };
}
