/**
 * Maintenance mode for the fleet: one record per scope in the shared store
 * (Redis or the rbac database), read by every process of every app, so one
 * `marg down` takes every server down at once.
 */

/** `*` (every app) or one app id. */
export type MaintenanceScope = string;

/** Every app of the installation. */
export const ALL_APPS: MaintenanceScope = "*";

/** One `marg down`, as stored. Never holds a secret: only hashes of the bypass secret and cookie. */
export interface MaintenanceState {
  readonly scope: MaintenanceScope;
  /** Shown on the maintenance page and in the JSON body. */
  readonly message: string;
  /** Sent as Retry-After (seconds); null sends none. */
  readonly retryAfterSeconds: number | null;
  /** SHA-256 (hex) of the bypass secret: visiting `/{secret}` sets the bypass cookie. */
  readonly secretHash: string | null;
  /** SHA-256 (hex) of the bypass cookie's value. */
  readonly bypassCookieHash: string | null;
  /** Client addresses (IPs or CIDRs) that still get the site. */
  readonly allow: readonly string[];
  /** Workers stop taking jobs while this is set (`marg down --workers`). */
  readonly pauseWorkers: boolean;
  /** When it was set, epoch ms. */
  readonly since: number;
}

/** Where maintenance records live; one file per driver under stores/. */
export interface MaintenanceStore {
  readonly driver: "redis" | "database";
  /** Every record, in no particular order (one round trip). */
  list(): Promise<MaintenanceState[]>;
  /** Sets (or replaces) the record of `state.scope`. */
  put(state: MaintenanceState): Promise<void>;
  /** Removes one scope's record; false when there was none. */
  remove(scope: MaintenanceScope): Promise<boolean>;
  /** Removes every record; returns how many there were. */
  removeAll(): Promise<number>;
}

/** Parses a stored record, or undefined when it is not one (a hand-edited key is ignored, not fatal). */
export function parseMaintenanceState(text: string): MaintenanceState | undefined {
  try {
    const value = JSON.parse(text) as Partial<MaintenanceState> | null;
    if (typeof value?.scope !== "string" || typeof value.message !== "string") return undefined;
    return {
      scope: value.scope,
      message: value.message,
      retryAfterSeconds: typeof value.retryAfterSeconds === "number" ? value.retryAfterSeconds : null,
      secretHash: typeof value.secretHash === "string" ? value.secretHash : null,
      bypassCookieHash: typeof value.bypassCookieHash === "string" ? value.bypassCookieHash : null,
      allow: Array.isArray(value.allow) ? value.allow.filter((entry) => typeof entry === "string") : [],
      pauseWorkers: value.pauseWorkers === true,
      since: typeof value.since === "number" ? value.since : 0,
    };
  } catch {
    return undefined;
  }
}
