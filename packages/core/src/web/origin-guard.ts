import type { FastifyReply, FastifyRequest } from "fastify";
import { MargError } from "../errors/marg-error.js";
import { sessionCookieConflict } from "../session/request-session.js";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
// What a browser says of a request its own page (or the user, typing) started.
const OWN_SITE = new Set(["same-origin", "none"]);

type Verdict = { ok: true } | { ok: false; from: string };

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function originOf(url: string): string | undefined {
  return URL.canParse(url) ? new URL(url).origin : undefined;
}

/**
 * Where an unsafe request says it comes from, judged against the apps' origins:
 * `Origin` first (every current browser sends it on a POST), then
 * `Sec-Fetch-Site` (`same-site` is refused: it cannot tell flow from a sibling
 * host that is not MARG's), then `Referer`. A request with none of them is
 * not from a browser page (curl, an API client) and is left to the CSRF token.
 */
function judge(request: FastifyRequest, origins: ReadonlySet<string>): Verdict {
  const origin = header(request, "origin");
  if (origin !== undefined) {
    return origins.has(originOf(origin) ?? "") ? { ok: true } : { ok: false, from: `Origin ${origin}` };
  }
  const site = header(request, "sec-fetch-site");
  if (site !== undefined)
    return OWN_SITE.has(site) ? { ok: true } : { ok: false, from: `Sec-Fetch-Site ${site}` };
  const referer = header(request, "referer");
  if (referer !== undefined) {
    return origins.has(originOf(referer) ?? "") ? { ok: true } : { ok: false, from: "Referer" };
  }
  return { ok: true };
}

function originRefused(): MargError {
  return new MargError(
    "E_HTTP_ORIGIN_REFUSED",
    "This request came from a page that is not one of MARG's apps, so it was refused. If you meant to do this, open the app itself and do it there.",
    { status: 403 },
  );
}

/**
 * An onRequest hook for every app: a state-changing request (POST, PUT, PATCH,
 * DELETE) must come from a page of one of the apps (`origins`: scheme + host +
 * port of each app of MARG_APPS), else 403 E_HTTP_ORIGIN_REFUSED; and one that
 * carries two session cookies is refused with 400 E_SESSION_COOKIE_CONFLICT. Both
 * before the body is read and before the CSRF check: a sibling host under the
 * domain can plant a session cookie whose CSRF token it knows, so the token alone
 * does not prove the form is ours. Register it after the session plugin. A route
 * with `config: { originGuard: false }` is left alone (it must not use the session).
 */
export function createOriginGuard(origins: Iterable<string>) {
  const allowed: ReadonlySet<string> = new Set(origins);
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    // A route that opts out (`config: { originGuard: false }`) is called cross-origin by
    // design and brings its own proof: the id app's OAuth endpoints (oidc-provider's).
    if (!UNSAFE_METHODS.has(request.method) || request.routeOptions.config?.originGuard === false) {
      done();
      return;
    }
    const verdict = judge(request, allowed);
    if (!verdict.ok) {
      request.log.warn(
        { code: "E_HTTP_ORIGIN_REFUSED", from: verdict.from.slice(0, 200) },
        "cross-origin request refused",
      );
      done(originRefused());
      return;
    }
    done(request.session.conflicted ? sessionCookieConflict() : undefined);
  };
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** `false`: unsafe requests from any origin reach the route (it must not act on the session cookie without a proof of its own). */
    originGuard?: boolean;
  }
}
