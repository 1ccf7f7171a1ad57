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
