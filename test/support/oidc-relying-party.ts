/**
 * A relying party as a vendor tool would be one: a small web app on its own host
 * name, outside MARG's cookie domain, that signs people in through MARG's OpenID
 * provider with `openid-client` (the certified client by oidc-provider's author).
 * Code flow with PKCE (S256), state and nonce; refresh; RP-initiated logout; and a
 * back-channel logout endpoint that verifies the logout token against the
 * provider's JWKS and ends the matching local sessions.
 *
 * Its own sessions live in memory, keyed by an `rp_sid` cookie. Outgoing calls to
 * the provider (discovery, token, userinfo, JWKS) go through `resolve`: host names
 * of the test domain are sent to a loopback port with their Host header, as DNS
 * would send them to the load balancer.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, type JWTPayload, customFetch as joseFetch, jwtVerify } from "jose";
import * as client from "openid-client";

export interface RelyingPartyOptions {
  /** The provider's issuer, e.g. http://id.marg.test:8080. */
  readonly issuer: string;
  readonly clientId: string;
  /** Absent for a public client (PKCE alone). */
  readonly clientSecret?: string;
  /** Where the browser reaches this app, e.g. http://rp.example.test:8080 (its redirect URI is `<publicUrl>/callback`). */
  publicUrl(): string;
  /** Host name → loopback port for the RP's own calls to the provider. */
  readonly resolve: Readonly<Record<string, number>>;
  readonly scope?: string;
  /** The loopback port to listen on (default: any free one), for a back-channel logout URI registered before the RP starts. */
  readonly port?: number;
}

/** One signed-in person at the relying party. */
export interface RelyingPartySession {
  claims: Record<string, unknown> | null;
  userinfo: Record<string, unknown> | null;
  idToken: string | null;
  accessToken: string | null;
  refreshToken: string | null;
  /** The provider's session id (`sid` of the ID token), matched by back-channel logout. */
  sid: string | null;
  /** Set when a back-channel logout ended this session. */
  endedBy: "backchannel" | "logout" | null;
  pending: { verifier: string; state: string; nonce: string } | null;
}

export interface BackchannelLogout {
  readonly ok: boolean;
  readonly claims: JWTPayload | null;
  readonly error: string | null;
}

export interface RelyingParty {
  readonly port: number;
  readonly sessions: Map<string, RelyingPartySession>;
  readonly backchannelLogouts: BackchannelLogout[];
  /** Every error the RP met talking to the provider (for assertions and debugging). */
  readonly errors: string[];
  close(): Promise<void>;
}

/** What the RP's outgoing calls carry (openid-client's and jose's fetch options, narrowed). */
interface OutgoingRequest {
  readonly method?: string;
  readonly headers?: Record<string, string> | Headers;
  readonly body?: unknown;
}

/** A fetch for openid-client and jose that reaches test host names through their loopback port. */
export function loopbackFetch(
  resolve: Readonly<Record<string, number>>,
): (url: string, options: OutgoingRequest) => Promise<Response> {
  return async (url, options) => {
    const target = new URL(url);
    const port = resolve[target.hostname];
    if (port === undefined) return fetch(url, options as RequestInit);
    const headers: Record<string, string> = { host: target.host };
    new Headers(options.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    return await new Promise<Response>((resolvePromise, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: options.method ?? "GET",
          path: `${target.pathname}${target.search}`,
          headers,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value === undefined) continue;
              for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
            }
            const status = res.statusCode ?? 502;
            const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolvePromise(new Response(payload, { status, headers: responseHeaders }));
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  };
}

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html><head><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

/** Starts the relying party on a loopback port (put nginx in front of it under its own host name). */
export async function startRelyingParty(options: RelyingPartyOptions): Promise<RelyingParty> {
  const customFetch = loopbackFetch(options.resolve);
  const auth =
    options.clientSecret === undefined ? client.None() : client.ClientSecretBasic(options.clientSecret);
  let config: client.Configuration | undefined;
  const configuration = async (): Promise<client.Configuration> => {
    if (config !== undefined) return config;
    config = await client.discovery(new URL(options.issuer), options.clientId, undefined, auth, {
      execute: [client.allowInsecureRequests],
      [client.customFetch]: customFetch,
    });
    return config;
  };
  const issuerUrl = new URL(options.issuer);
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keys = async () => {
    if (jwks !== undefined) return jwks;
    const jwksUri = (await configuration()).serverMetadata().jwks_uri;
    if (jwksUri === undefined) throw new Error("the provider publishes no jwks_uri");
    jwks = createRemoteJWKSet(new URL(jwksUri), {
      [joseFetch]: (url, init) => customFetch(url, init),
    });
    return jwks;
  };
  const sessions = new Map<string, RelyingPartySession>();
  const backchannelLogouts: BackchannelLogout[] = [];
  const errors: string[] = [];
  const scope = options.scope ?? "openid email profile roles offline_access";

  const sessionOf = (req: IncomingMessage, res: ServerResponse): RelyingPartySession => {
    const existing = cookieOf(req, "rp_sid");
    const found = existing === undefined ? undefined : sessions.get(existing);
    if (found !== undefined) return found;
    const id = randomBytes(16).toString("hex");
    const fresh: RelyingPartySession = {
      claims: null,
      userinfo: null,
      idToken: null,
      accessToken: null,
      refreshToken: null,
      sid: null,
      endedBy: null,
      pending: null,
    };
    sessions.set(id, fresh);
    res.setHeader("set-cookie", `rp_sid=${id}; Path=/; HttpOnly; SameSite=Lax`);
    return fresh;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", options.publicUrl());
    const session = sessionOf(req, res);
    if (req.method === "GET" && url.pathname === "/login") {
      const verifier = client.randomPKCECodeVerifier();
      const pending = { verifier, state: client.randomState(), nonce: client.randomNonce() };
      session.pending = pending;
      const target = client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: `${options.publicUrl()}/callback`,
        scope,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
        ...(scope.includes("offline_access") ? { prompt: "consent" } : {}),
      });
      res.writeHead(302, { location: target.href });
      res.end();
      return;
    }
    if (req.method === "GET" && url.pathname === "/callback") {
      const pending = session.pending;
      if (pending === null) return page(res, 400, "No sign-in pending", "<p id=error>no sign-in pending</p>");
      session.pending = null;
      const cfg = await configuration();
      const tokens = await client.authorizationCodeGrant(cfg, url, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
      });
      const claims = tokens.claims() ?? null;
      session.claims = claims === null ? null : { ...claims };
      session.sid = typeof claims?.sid === "string" ? claims.sid : null;
      session.idToken = tokens.id_token ?? null;
      session.accessToken = tokens.access_token;
      session.refreshToken = tokens.refresh_token ?? null;
      session.endedBy = null;
      if (claims !== null) {
        session.userinfo = { ...(await client.fetchUserInfo(cfg, tokens.access_token, claims.sub)) };
      }
      res.writeHead(302, { location: "/me" });
      res.end();
      return;
    }
    if (req.method === "GET" && url.pathname === "/me") {
      const signedIn = session.claims !== null && session.endedBy === null;
      return page(
        res,
        200,
        "Relying party",
        `<p id=status>${signedIn ? "signed in" : "signed out"}</p>` +
          `<pre id=claims>${escapeHtml(JSON.stringify(session.claims))}</pre>` +
          `<pre id=userinfo>${escapeHtml(JSON.stringify(session.userinfo))}</pre>`,
      );
    }
    if (req.method === "POST" && url.pathname === "/refresh") {
      if (session.refreshToken === null) return json(res, 409, { ok: false, error: "no refresh token" });
      try {
        const tokens = await client.refreshTokenGrant(await configuration(), session.refreshToken);
        session.accessToken = tokens.access_token;
        session.refreshToken = tokens.refresh_token ?? session.refreshToken;
        return json(res, 200, { ok: true });
      } catch (error) {
        const code = (error as { error?: unknown }).error;
        return json(res, 200, { ok: false, error: typeof code === "string" ? code : String(error) });
      }
    }
    if (req.method === "GET" && url.pathname === "/logout") {
      const target = client.buildEndSessionUrl(await configuration(), {
        ...(session.idToken === null ? {} : { id_token_hint: session.idToken }),
        post_logout_redirect_uri: `${options.publicUrl()}/me`,
      });
      session.endedBy = "logout";
      res.writeHead(302, { location: target.href });
      res.end();
      return;
    }
    if (req.method === "POST" && url.pathname === "/backchannel-logout") {
      const token = new URLSearchParams(await readBody(req)).get("logout_token");
      try {
        if (token === null) throw new Error("no logout_token");
        const { payload } = await jwtVerify(token, await keys(), {
          issuer: issuerUrl.href.replace(/\/$/, ""),
          audience: options.clientId,
        });
        const events = payload.events as Record<string, unknown> | undefined;
        if (events?.["http://schemas.openid.net/event/backchannel-logout"] === undefined)
          throw new Error("not a back-channel logout event");
        if ("nonce" in payload) throw new Error("a logout token carries no nonce");
        for (const one of sessions.values()) {
          const sameSid = payload.sid !== undefined && one.sid === payload.sid;
          const sameSub = payload.sid === undefined && one.claims?.sub === payload.sub;
          if (sameSid || sameSub) one.endedBy = "backchannel";
        }
        backchannelLogouts.push({ ok: true, claims: payload, error: null });
        res.writeHead(200, { "cache-control": "no-store" });
        res.end();
      } catch (error) {
        backchannelLogouts.push({ ok: false, claims: null, error: String(error) });
        json(res, 400, { error: "invalid_request" });
      }
      return;
    }
    page(res, 404, "Not found", "<p>not found</p>");
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      errors.push(String(error));
      if (!res.headersSent) page(res, 500, "RP error", `<p id=error>${escapeHtml(String(error))}</p>`);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sessions,
    backchannelLogouts,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
