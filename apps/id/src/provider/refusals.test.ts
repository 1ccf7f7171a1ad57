import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, discoverAs, hostFetch, type IdTestApp, startIdTestApp } from "../test-support/index.js";

const REDIRECT = "https://rp.example/callback";

/** The OAuth error a refused grant answered with (openid-client's ResponseBodyError carries it). */
async function oauthErrorOf(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return { error: error.error, status: error.status };
    // A 401 carries its error in WWW-Authenticate (invalid_client with Basic authentication).
    if (error instanceof oidc.WWWAuthenticateChallengeError) {
      return { error: String(error.cause[0]?.parameters.error), status: error.status };
    }
    throw error;
  }
  throw new Error("expected the provider to refuse");
}

describe("what the provider refuses, as the specs' errors (never a 500)", () => {
  let t: IdTestApp;
  let secret: string;

  beforeAll(async () => {
    t = await startIdTestApp({ label: "id-refusals" });
    await t.createClient({
      clientId: "spa",
      name: "SPA",
      type: "public",
      redirectUris: [REDIRECT],
      firstParty: true,
    });
    const created = await t.createClient({
      clientId: "portal",
      name: "Portal",
      redirectUris: [REDIRECT],
      firstParty: true,
    });
    secret = created.secret ?? "";
  });
  afterAll(async () => {
    await t?.close();
  });

  async function signedInCode(clientId: string, auth: Parameters<typeof discoverAs>[2], scope?: string) {
    const config = await discoverAs(t, clientId, auth);
    const member = await t.signIn("member");
    const trip = await authorize(t.browser(member), config, {
      redirectUri: REDIRECT,
      ...(scope === undefined ? {} : { scope, prompt: "consent" }),
    });
    return { config, trip };
  }

  it("refuses a code used twice with invalid_grant", async () => {
    const { config, trip } = await signedInCode("spa", { method: "none" });
    await oidc.authorizationCodeGrant(config, trip.callback, {
      pkceCodeVerifier: trip.verifier,
      expectedState: trip.state,
    });
    const replay = oauthErrorOf(
      oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      }),
    );
    expect(await replay).toEqual({ error: "invalid_grant", status: 400 });
  });

  it("refuses a wrong PKCE verifier with invalid_grant", async () => {
    const { config, trip } = await signedInCode("spa", { method: "none" });
    const wrong = oauthErrorOf(
      oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: oidc.randomPKCECodeVerifier(),
        expectedState: trip.state,
      }),
    );
    expect(await wrong).toEqual({ error: "invalid_grant", status: 400 });
  });

  it("refuses a code exchanged without its PKCE verifier", async () => {
    const { trip } = await signedInCode("spa", { method: "none" });
    const response = await hostFetch(t.ports)(`${t.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: trip.callback.searchParams.get("code") ?? "",
        redirect_uri: REDIRECT,
        client_id: "spa",
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^invalid_(grant|request)$/);
  });

  it("lets a browser app on the client's own origin call the token endpoint (CORS), past MARG's origin guard", async () => {
    const response = await hostFetch(t.ports)(`${t.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://rp.example" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: "not-a-code",
        redirect_uri: REDIRECT,
        client_id: "spa",
        code_verifier: oidc.randomPKCECodeVerifier(),
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_grant");
    expect(response.headers.get("access-control-allow-origin")).toBe("https://rp.example");
  });

  it("refuses a public client's authorization request without PKCE", async () => {
    const member = await t.signIn("member");
    const url = new URL(`${t.issuer}/authorize`);
    url.search = new URLSearchParams({
      client_id: "spa",
      response_type: "code",
      scope: "openid",
      redirect_uri: REDIRECT,
    }).toString();
    const page = await t.browser(member).open(url);
    expect(page.url.origin).toBe("https://rp.example");
    expect(page.url.searchParams.get("error")).toBe("invalid_request");
  });

  it("answers an unknown client at the token endpoint with invalid_client", async () => {
    const config = await discoverAs(t, "nobody", { method: "basic", secret: "marg_ocs_not-a-secret" });
    const refused = oauthErrorOf(oidc.refreshTokenGrant(config, "whatever"));
    expect(await refused).toEqual({ error: "invalid_client", status: 401 });
  });

  it("answers a wrong client secret with invalid_client", async () => {
    const { trip } = await signedInCode("portal", { method: "basic", secret });
    const config = await discoverAs(t, "portal", { method: "post", secret: `${secret}x` });
    const refused = oauthErrorOf(
      oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      }),
    );
    expect(await refused).toEqual({ error: "invalid_client", status: 401 });
  });

  it("shows an error page (400, no redirect) for a redirect URI that is not registered, and for an unknown client", async () => {
    const member = await t.signIn("member");
    for (const [clientId, redirectUri] of [
      ["spa", "https://evil.example/callback"],
      ["nobody", REDIRECT],
    ]) {
      const url = new URL(`${t.issuer}/authorize`);
      url.search = new URLSearchParams({
        client_id: clientId ?? "",
        response_type: "code",
        scope: "openid",
        redirect_uri: redirectUri ?? "",
        code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        code_challenge_method: "S256",
      }).toString();
      const page = await t.browser(member).open(url);
      expect(page.url.host).toBe("id.marg.test");
      expect(page.status).toBe(400);
      expect(page.body).toContain("Sign-in could not continue");
      expect(page.body).toMatch(/invalid_redirect_uri|invalid_client/);
    }
  });

  it("refuses a revoked refresh token, a rotated one used again, and any refresh of a disabled user, with invalid_grant", async () => {
    const { config, trip } = await signedInCode(
      "portal",
      { method: "basic", secret },
      "openid offline_access",
    );
    const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
      pkceCodeVerifier: trip.verifier,
      expectedState: trip.state,
    });
    const first = tokens.refresh_token ?? "";
    const rotated = await oidc.refreshTokenGrant(config, first);
    expect(await oauthErrorOf(oidc.refreshTokenGrant(config, first))).toEqual({
      error: "invalid_grant",
      status: 400,
    });

    const again = await signedInCode("portal", { method: "basic", secret }, "openid offline_access");
    const second = await oidc.authorizationCodeGrant(again.config, again.trip.callback, {
      pkceCodeVerifier: again.trip.verifier,
      expectedState: again.trip.state,
    });
    await oidc.tokenRevocation(config, second.refresh_token ?? "");
    expect(await oauthErrorOf(oidc.refreshTokenGrant(config, second.refresh_token ?? ""))).toEqual({
      error: "invalid_grant",
      status: 400,
    });
    void rotated;

    const third = await signedInCode("portal", { method: "basic", secret }, "openid offline_access");
    const live = await oidc.authorizationCodeGrant(third.config, third.trip.callback, {
      pkceCodeVerifier: third.trip.verifier,
      expectedState: third.trip.state,
    });
    await t.platform.rbacDb
      .updateTable("users")
      .set({ disabled_at: Date.now() })
      .where("id", "=", t.users.member.id)
      .execute();
    try {
      expect(await oauthErrorOf(oidc.refreshTokenGrant(config, live.refresh_token ?? ""))).toEqual({
        error: "invalid_grant",
        status: 400,
      });
    } finally {
      await t.platform.rbacDb
        .updateTable("users")
        .set({ disabled_at: null })
        .where("id", "=", t.users.member.id)
        .execute();
    }
  });
});
