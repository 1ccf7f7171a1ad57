import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import { type AddressAllowList, createAddressAllowList } from "../metrics/address-allow-list.js";
import { BYPASS_COOKIE, bypassCookieValue, matchesHash } from "./maintenance-bypass.js";
import type { MaintenanceGate } from "./maintenance-gate.js";
import type { MaintenanceState } from "./types.js";

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

/** What maintenance mode says of one request; the web layer turns it into a response. */
export type MaintenanceVerdict =
  /** Up, exempt, or let through (allowed address, bypass cookie). */
  | { readonly kind: "pass" }
  /** The visitor opened `/{secret}`: give them the bypass cookie with this value. */
  | { readonly kind: "unlock"; readonly cookieValue: string }
  /** Down for this visitor: answer 503 with the state's message and Retry-After. */
  | { readonly kind: "down"; readonly state: MaintenanceState };

/** The parts of a request maintenance mode looks at. */
export interface MaintenanceRequest {
  /** The URL path, without the query. */
  readonly path: string;
  readonly ip: string;
  readonly cookieHeader: string | undefined;
}

export interface MaintenanceCheck {
  /**
   * True when the request passes without a store read: an exempt path, or the
   * gate's fresh cached read says the app is up (the usual case, with no promise).
   */
  passesAtOnce(path: string): boolean;
  decide(request: MaintenanceRequest): Promise<MaintenanceVerdict>;
}

/** Answers a verdict that is not "pass" (the web layer's: a page, JSON, the bypass cookie). */
export type MaintenanceAnswer = (
  request: FastifyRequest,
  reply: FastifyReply,
  verdict: Exclude<MaintenanceVerdict, { kind: "pass" }>,
) => void;

const PASS: MaintenanceVerdict = { kind: "pass" };

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/**
 * Maintenance mode's decision for one app: while it (or every app) is down,
 * allowed addresses and holders of the bypass cookie pass, `/{secret}` unlocks,
 * everyone else is told the app is down. It renders nothing: the web layer's
 * `marg-maintenance` plugin answers the verdict.
 */
export function createMaintenanceCheck(options: {
  readonly gate: MaintenanceGate;
  /** The app this server is: its own record applies, else the all-apps one. */
  readonly appId: string;
}): MaintenanceCheck {
  const { gate, appId } = options;
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
  return {
    passesAtOnce(path) {
      if (isMaintenanceExempt(path)) return true;
      const peeked = gate.peek?.(appId);
      return peeked !== undefined && peeked.state === undefined;
    },
    async decide(request) {
      const state = await gate.stateFor(appId);
      if (state === undefined || allowed(state, request.ip)) return PASS;
      if (matchesHash(cookieValue(request.cookieHeader, BYPASS_COOKIE), state.bypassCookieHash)) return PASS;
      const segment = request.path.slice(1);
      if (segment !== "" && !segment.includes("/") && matchesHash(segment, state.secretHash)) {
        return { kind: "unlock", cookieValue: bypassCookieValue(segment) };
      }
      return { kind: "down", state };
    },
  };
}

/**
 * The onRequest hook of maintenance mode: asks `check`, lets the request go on when
 * it passes, else hands the verdict to `answer`, which sends the reply. Callback
 * style: while the app is up and the gate's cached read is fresh (the usual case),
 * a request passes without a promise or a store read.
 */
export function maintenanceHook(check: MaintenanceCheck, answer: MaintenanceAnswer): onRequestHookHandler {
  return (request, reply, done) => {
    const query = request.url.indexOf("?");
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (check.passesAtOnce(path)) {
      done();
      return;
    }
    // A reply sent by `answer` ends the request (done is not called); otherwise it goes on.
    check.decide({ path, ip: request.ip, cookieHeader: request.headers.cookie }).then((verdict) => {
      if (verdict.kind === "pass") {
        done();
        return;
      }
      try {
        answer(request, reply, verdict);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    }, done);
  };
}
