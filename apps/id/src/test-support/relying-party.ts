import * as oidc from "openid-client";
import { hostFetch } from "./host-fetch.js";
import type { IdTestApp } from "./id-test-app.js";
import type { TestBrowser } from "./test-browser.js";

/** How a test client authenticates at the token endpoint. */
export type RpAuth =
  | { readonly method: "none" }
  | { readonly method: "basic" | "post"; readonly secret: string };

/**
 * openid-client 6 configured for a client of the test installation: discovery
 * over the real socket (hostFetch, plain http allowed as on the laptop).
 */
export async function discoverAs(
  app: IdTestApp,
  clientId: string,
  auth: RpAuth,
): Promise<oidc.Configuration> {
  const clientAuth =
    auth.method === "none"
      ? oidc.None()
      : auth.method === "basic"
        ? oidc.ClientSecretBasic(auth.secret)
        : oidc.ClientSecretPost(auth.secret);
  const fetchOverSocket = hostFetch(app.ports);
  const config = await oidc.discovery(new URL(app.issuer), clientId, undefined, clientAuth, {
    execute: [oidc.allowInsecureRequests],
    [oidc.customFetch]: (url, options) =>
      fetchOverSocket(url, { method: options.method, headers: options.headers, body: options.body }),
  });
  return config;
}

export interface CodeRedirect {
  /** Where the provider sent the browser back (the client's redirect URI with code, state, iss). */
  readonly callback: URL;
  readonly verifier: string;
  readonly state: string;
}

/** The browser's trip through the provider: authorization request with PKCE (S256), following every redirect back. */
export async function authorize(
  browser: TestBrowser,
  config: oidc.Configuration,
  params: { redirectUri: string; scope?: string; prompt?: string; verifier?: string },
): Promise<CodeRedirect & { readonly status: number; readonly body: string }> {
  const verifier = params.verifier ?? oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: params.redirectUri,
    scope: params.scope ?? "openid email profile",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...(params.prompt === undefined ? {} : { prompt: params.prompt }),
  });
  const page = await browser.open(url);
  return { callback: page.url, verifier, state, status: page.status, body: page.body };
}
