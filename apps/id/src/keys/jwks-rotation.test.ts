import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, discoverAs, hostFetch, type IdTestApp, startIdTestApp } from "../test-support/index.js";

const REDIRECT = "https://rp.example/callback";

function kidOf(jwt: string): string {
  return (JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString("utf8")) as { kid: string })
    .kid;
}

describe("JWKS across a key rotation", () => {
  let t: IdTestApp;
  beforeAll(async () => {
    t = await startIdTestApp({ label: "id-jwks" });
    await t.createClient({
      clientId: "spa",
      name: "SPA",
      type: "public",
      redirectUris: [REDIRECT],
      firstParty: true,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function idToken(): Promise<string> {
    const config = await discoverAs(t, "spa", { method: "none" });
    const trip = await authorize(t.browser(await t.signIn("member")), config, { redirectUri: REDIRECT });
    const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
      pkceCodeVerifier: trip.verifier,
      expectedState: trip.state,
    });
    return tokens.id_token ?? "";
  }

  async function publishedKids(): Promise<string[]> {
    const response = await hostFetch(t.ports)(`${t.issuer}/jwks`);
    const body = (await response.json()) as { keys: { kid: string; d?: string }[] };
    expect(body.keys.every((key) => key.d === undefined)).toBe(true);
    return body.keys.map((key) => key.kid);
  }

  it("signs with the new key after a rotation and keeps publishing the previous one", async () => {
    const before = await idToken();
    expect(await publishedKids()).toContain(kidOf(before));
    const fresh = await t.services.keys.rotate();
    await t.services.runtime.reload();
    const after = await idToken();
    expect(fresh).toContain(kidOf(after));
    const kids = await publishedKids();
    expect(kids).toEqual(expect.arrayContaining([kidOf(before), kidOf(after)]));
  });
});
