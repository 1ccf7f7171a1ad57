import { TEST_PASSWORD } from "@marg/core/testing";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, discoverAs, type IdTestApp, startIdTestApp } from "../test-support/index.js";

const RP = "https://rp.example";
const REDIRECT = `${RP}/callback`;

for (const store of ["sql", "redis"] as const) {
  describe(`the id app as an OpenID provider (authorization code + PKCE, over a socket; ${store} store)`, () => {
    let t: IdTestApp;
    let confidentialSecret: string;

    beforeAll(async () => {
      t = await startIdTestApp({ label: `id-code-flow-${store}`, redis: store === "redis" });
      expect(t.services.store).toBe(store);
      await t.createClient({
        clientId: "spa",
        name: "The SPA",
        type: "public",
        redirectUris: [REDIRECT],
        firstParty: true,
      });
      const created = await t.createClient({
        clientId: "grafana",
        name: "Grafana",
        type: "confidential",
        redirectUris: [REDIRECT],
        firstParty: true,
        appScope: "links",
      });
      confidentialSecret = created.secret ?? "";
    });
    afterAll(async () => {
      await t?.close();
    });

    it("signs a person in from the MARG session without asking a password and releases the registered claims", async () => {
      const member = await t.signIn("member");
      const config = await discoverAs(t, "spa", { method: "none" });
      const trip = await authorize(t.browser(member), config, { redirectUri: REDIRECT });
      expect(trip.callback.origin).toBe(RP);
      expect(trip.callback.searchParams.get("code")).toBeTruthy();
      const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      });
      const claims = tokens.claims();
      expect(claims).toMatchObject({
        iss: t.issuer,
        aud: "spa",
        sub: String(t.users.member.id),
        email: t.users.member.email,
        name: t.users.member.name,
      });
      const info = await oidc.fetchUserInfo(config, tokens.access_token, String(t.users.member.id));
      expect(info).toMatchObject({
        sub: String(t.users.member.id),
        email: t.users.member.email,
        email_verified: true,
      });
    });

    it("sends a guest to MARG's sign-in on the id host and, once signed in there, back to the client", async () => {
      const config = await discoverAs(t, "spa", { method: "none" });
      const browser = t.browser();
      const trip = await authorize(browser, config, { redirectUri: REDIRECT });
      expect(trip.callback.pathname).toBe("/login");
      expect(trip.callback.searchParams.get("next")).toMatch(/^\/interaction\/[\w-]+$/);
      const loginPage = { url: trip.callback, status: trip.status, body: trip.body, headers: new Headers() };
      const back = await browser.submit(loginPage, "/login", {
        email: t.users.viewer.email,
        password: TEST_PASSWORD,
      });
      expect(back.url.origin).toBe(RP);
      expect(back.url.searchParams.get("state")).toBe(trip.state);
      const tokens = await oidc.authorizationCodeGrant(config, back.url, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      });
      expect(tokens.claims()?.sub).toBe(String(t.users.viewer.id));
    });

    it("authenticates a confidential client with its secret (basic and post) and refreshes with rotation", async () => {
      const admin = await t.signIn("admin");
      for (const method of ["basic", "post"] as const) {
        const config = await discoverAs(t, "grafana", { method, secret: confidentialSecret });
        const trip = await authorize(t.browser(admin), config, {
          redirectUri: REDIRECT,
          scope: "openid email profile roles offline_access",
          prompt: "consent",
        });
        const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
          pkceCodeVerifier: trip.verifier,
          expectedState: trip.state,
        });
        expect(tokens.refresh_token).toBeTruthy();
        const claims: Record<string, unknown> = tokens.claims() ?? {};
        const permissions = claims.permissions as string[];
        expect(permissions).toContain("links.view");
        expect(permissions.every((name) => name.startsWith("links."))).toBe(true);
        expect(claims.roles).toEqual(["admin"]);
        const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "");
        expect(refreshed.access_token).toBeTruthy();
        expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
      }
    });
  });
}
