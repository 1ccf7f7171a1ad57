import { createServer, type Server } from "node:http";
import { csrfTokenIn, TEST_PASSWORD } from "@marg/core/testing";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, discoverAs, type IdTestApp, startIdTestApp, TestBrowser } from "../test-support/index.js";

const REDIRECT = "https://rp.example/callback";
const AFTER_LOGOUT = "https://rp.example/signed-out";

/** A client's back-channel logout endpoint: a real HTTP server on loopback that keeps what it receives. */
async function startLogoutReceiver(): Promise<{ server: Server; url: string; tokens: string[] }> {
  const tokens: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      tokens.push(new URLSearchParams(body).get("logout_token") ?? "");
      response.statusCode = 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}/backchannel-logout`, tokens };
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oidc.ResponseBodyError) return error.error;
    throw error;
  }
  return "accepted";
}

for (const store of ["sql", "redis"] as const) {
  describe(`ending sign-ins: MARG sign-out, RP-initiated logout, a different MARG user (${store} store)`, () => {
    let t: IdTestApp;
    let receiver: Awaited<ReturnType<typeof startLogoutReceiver>>;
    let secret: string;

    beforeAll(async () => {
      receiver = await startLogoutReceiver();
      t = await startIdTestApp({ label: `id-logout-${store}`, redis: store === "redis" });
      const created = await t.createClient({
        clientId: "portal",
        name: "Portal",
        redirectUris: [REDIRECT],
        postLogoutRedirectUris: [AFTER_LOGOUT],
        backchannelLogoutUri: receiver.url,
        firstParty: true,
      });
      secret = created.secret ?? "";
      await t.createClient({
        clientId: "outside",
        name: "Outside Tool",
        redirectUris: [REDIRECT],
        firstParty: false,
      });
    });
    afterAll(async () => {
      await t?.close();
      receiver?.server.close();
    });

    async function signInToPortal(who: "member" | "admin") {
      const signedIn = await t.signIn(who);
      const browser = t.browser(signedIn);
      const config = await discoverAs(t, "portal", { method: "basic", secret });
      const trip = await authorize(browser, config, {
        redirectUri: REDIRECT,
        scope: "openid email offline_access",
        prompt: "consent",
      });
      const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      });
      return { signedIn, browser, config, tokens };
    }

    it("signing out of MARG sends a back-channel logout to the client and its refresh token stops working", async () => {
      const { signedIn, config, tokens } = await signInToPortal("member");
      const before = receiver.tokens.length;
      const out = await signedIn.submit("/account", "/logout", {});
      expect(out.status).toBe(303);
      expect(receiver.tokens.length).toBe(before + 1);
      const logout = payloadOf(receiver.tokens.at(-1) ?? "");
      expect(logout).toMatchObject({ iss: t.issuer, aud: "portal", sub: String(t.users.member.id) });
      expect(logout.sid).toBe(tokens.claims()?.sid);
      expect(logout.events).toEqual({ "http://schemas.openid.net/event/backchannel-logout": {} });
      expect(await refusal(oidc.refreshTokenGrant(config, tokens.refresh_token ?? ""))).toBe("invalid_grant");
    });

    it("a user disabled (every MARG session ended) loses every OIDC session and grant, each client told", async () => {
      const { config, tokens } = await signInToPortal("member");
      const other = await signInToPortal("member");
      const before = receiver.tokens.length;
      await t.definition.onSessionsEnded?.(t.platform)({
        userId: t.users.member.id,
        handles: null,
        reason: "user-disabled",
      });
      expect(receiver.tokens.length - before).toBeGreaterThanOrEqual(2);
      expect(await refusal(oidc.refreshTokenGrant(config, tokens.refresh_token ?? ""))).toBe("invalid_grant");
      expect(await refusal(oidc.refreshTokenGrant(other.config, other.tokens.refresh_token ?? ""))).toBe(
        "invalid_grant",
      );
    });

    it("RP-initiated logout asks, then ends the OIDC session and the MARG session, and returns to the client", async () => {
      const { signedIn, browser, config, tokens } = await signInToPortal("member");
      const question = await browser.open(
        oidc.buildEndSessionUrl(config, {
          id_token_hint: tokens.id_token ?? "",
          post_logout_redirect_uri: AFTER_LOGOUT,
        }),
      );
      expect(question.status).toBe(200);
      expect(question.body).toContain("Sign out of MARG?");
      expect(question.headers.get("content-security-policy")).toContain("https://rp.example");
      const done = await browser.submit(question, `${t.issuer}/session/end/confirm`, { logout: "yes" });
      expect(done.url.href).toBe(AFTER_LOGOUT);
      expect((await signedIn.get("/account")).status).toBe(303);
      expect(await refusal(oidc.refreshTokenGrant(config, tokens.refresh_token ?? ""))).toBe("invalid_grant");
    });

    it("a different MARG user in the same browser is signed in as themselves, never as the previous account", async () => {
      const { signedIn, browser, config } = await signInToPortal("member");
      const csrf = csrfTokenIn((await signedIn.get("/account")).body) ?? "";
      const switched = await signedIn.post("/login", {
        _csrf: csrf,
        email: t.users.admin.email,
        password: TEST_PASSWORD,
      });
      expect(switched.status).toBe(303);
      const trip = await authorize(browser, config, { redirectUri: REDIRECT });
      const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      });
      expect(tokens.claims()?.sub).toBe(String(t.users.admin.id));
    });

    it("the provider's own session cookie never outlives a change of MARG session: the current MARG user wins", async () => {
      const { browser, config } = await signInToPortal("member");
      const admin = await t.signIn("admin");
      // The same browser's id-host cookies (member's OIDC session), with admin's MARG session cookie.
      const sameBrowser = new TestBrowser(t.ports, admin.jar, browser.hostJar);
      const before = receiver.tokens.length;
      const silent = await authorize(sameBrowser, config, { redirectUri: REDIRECT, prompt: "none" });
      expect(silent.callback.searchParams.get("error")).toBe("login_required");
      const trip = await authorize(sameBrowser, config, { redirectUri: REDIRECT });
      const tokens = await oidc.authorizationCodeGrant(config, trip.callback, {
        pkceCodeVerifier: trip.verifier,
        expectedState: trip.state,
      });
      expect(tokens.claims()?.sub).toBe(String(t.users.admin.id));
      // The member's OIDC session was ended on the way: their client heard of it.
      expect(receiver.tokens.slice(before).map((token) => payloadOf(token).sub)).toContain(
        String(t.users.member.id),
      );
    });

    it("shows a consent page to a client that is not first-party: Deny returns access_denied, Allow a code", async () => {
      const member = await t.signIn("member");
      const browser = t.browser(member);
      const config = await discoverAs(t, "outside", { method: "basic", secret: "unused" });
      for (const decision of ["deny", "allow"] as const) {
        const trip = await authorize(browser, config, { redirectUri: REDIRECT, scope: "openid email" });
        expect(trip.status).toBe(200);
        expect(trip.body).toContain("Allow Outside Tool?");
        expect(trip.body).toContain("See your email address");
        const uid = trip.callback.pathname.split("/").at(-1);
        const page = { url: trip.callback, status: trip.status, body: trip.body, headers: new Headers() };
        const back = await browser.submit(page, `/interaction/${uid}/confirm`, { decision });
        expect(back.url.origin).toBe("https://rp.example");
        if (decision === "deny") expect(back.url.searchParams.get("error")).toBe("access_denied");
        else expect(back.url.searchParams.get("code")).toBeTruthy();
      }
    });

    it("refuses a consent form without the MARG CSRF token", async () => {
      const member = await t.signIn("member");
      const browser = t.browser(member);
      const config = await discoverAs(t, "outside", { method: "basic", secret: "unused" });
      const trip = await authorize(browser, config, { redirectUri: REDIRECT, scope: "openid" });
      const uid = trip.callback.pathname.split("/").at(-1);
      const forged = await browser.open(`${t.issuer}/interaction/${uid}/confirm`, {
        method: "POST",
        form: { decision: "allow" },
      });
      expect(forged.status).toBe(403);
    });
  });
}
