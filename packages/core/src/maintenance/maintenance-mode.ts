import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type AddressAllowList, createAddressAllowList } from "../metrics/address-allow-list.js";
import { wantsJson } from "../web/error-response.js";
import { BYPASS_COOKIE, bypassCookieValue, matchesHash } from "./maintenance-bypass.js";
import type { MaintenanceGate } from "./maintenance-gate.js";
import type { MaintenanceState } from "./types.js";

export interface MaintenanceModeOptions {
  readonly gate: MaintenanceGate;
  /** The app this server is: its own record applies, else the all-apps one. */
  readonly appId: string;
  /** Where the bypass cookie is valid: SESSION_DOMAIN, so one visit unlocks every app. */
  readonly cookie: { readonly domain: string | undefined; readonly secure: boolean };
  readonly renderPage: (state: MaintenanceState) => string;
}

/**
 * Paths that answer while down: health and metrics (the load balancer and
 * Prometheus keep working; see docs/operations-health.md for why /health stays
 * 200) and the stylesheet the maintenance page itself needs.
 */
export function isMaintenanceExempt(path: string): boolean {
  return (
    path === "/health" ||
    path === "/health/live" ||
    path === "/metrics" ||
    path === "/favicon.ico" ||
    path.startsWith("/assets/")
  );
}

/** Twelve hours: long enough for a deploy, short enough that a forgotten cookie dies. */
const BYPASS_MAX_AGE_SECONDS = 12 * 3600;

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/**
 * While the app (or every app) is down: 503 with Retry-After, the maintenance
 * page or JSON; allowed addresses and holders of the bypass cookie pass;
 * visiting `/{secret}` sets that cookie. Runs as the first onRequest hook, before
 * sessions and CSRF, so a down app never touches the session store.
 */
export function installMaintenanceMode(app: FastifyInstance, options: MaintenanceModeOptions): void {
  const allowLists = new Map<string, AddressAllowList>();
  const allowed = (state: MaintenanceState, ip: string) => {
    const key = `${state.scope}@${state.since}`;
    let list = allowLists.get(key);
    if (list === undefined) {
      try {
        list = createAddressAllowList(state.allow, "marg down --allow");
      } catch {
        list = () => false;
      }
      if (allowLists.size > 32) allowLists.clear();
      allowLists.set(key, list);
    }
    return list(ip);
  };

  // Callback style: while the app is up and the gate's cached read is fresh (the usual
  // case), a request passes without a promise or a store read.
  app.addHook(
    "onRequest",
    (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
      const query = request.url.indexOf("?");
      const path = query === -1 ? request.url : request.url.slice(0, query);
      const peeked = isMaintenanceExempt(path) ? { state: undefined } : options.gate.peek?.(options.appId);
      if (peeked !== undefined && peeked.state === undefined) {
        done();
        return;
      }
      // A reply sent here ends the request (done is not called); otherwise it goes on.
      answer(request, reply, path).then((answered) => {
        if (!answered) done();
      }, done);
    },
  );

  /** Answers a request to a down app (503, or the bypass cookie); false when the request may pass. */
  async function answer(request: FastifyRequest, reply: FastifyReply, path: string): Promise<boolean> {
    const state = await options.gate.stateFor(options.appId);
    if (state === undefined || allowed(state, request.ip)) return false;
    if (matchesHash(cookieValue(request.headers.cookie, BYPASS_COOKIE), state.bypassCookieHash)) return false;
    const segment = path.slice(1);
    if (segment !== "" && !segment.includes("/") && matchesHash(segment, state.secretHash)) {
      const attributes = [
        `${BYPASS_COOKIE}=${bypassCookieValue(segment)}`,
        "Path=/",
        `Max-Age=${BYPASS_MAX_AGE_SECONDS}`,
        "HttpOnly",
        "SameSite=Lax",
        ...(options.cookie.domain === undefined ? [] : [`Domain=${options.cookie.domain}`]),
        ...(options.cookie.secure ? ["Secure"] : []),
      ];
      reply
        .header("set-cookie", attributes.join("; "))
        .header("cache-control", "no-store")
        .redirect("/", 303);
      return true;
    }
    reply.code(503).header("cache-control", "no-store");
    if (state.retryAfterSeconds !== null) reply.header("retry-after", String(state.retryAfterSeconds));
    if (wantsJson(request)) {
      reply.send({
        error: {
          code: "E_MAINTENANCE_MODE",
          message: state.message,
          requestId: request.id,
          retryAfterSeconds: state.retryAfterSeconds,
        },
      });
      return true;
    }
    reply.type("text/html; charset=utf-8").send(options.renderPage(state));
    return true;
  }
}
