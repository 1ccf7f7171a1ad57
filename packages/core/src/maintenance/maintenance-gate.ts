import { ALL_APPS, type MaintenanceState, type MaintenanceStore } from "./types.js";

/** Where the gate reports that the store went away or came back (pino fits). */
export interface MaintenanceLogger {
  warn(data: Record<string, unknown>, message: string): void;
  info(data: Record<string, unknown>, message: string): void;
}

export interface MaintenanceGateOptions {
  /** How long a read is reused without asking the store. Default 1000 ms. */
  readonly ttlMs?: number;
  /** Up to this age a read is still served while a fresh one is fetched in the background. Default 5000 ms. */
  readonly maxStaleMs?: number;
  /** A store slower than this counts as failing for this read. Default 500 ms. */
  readonly timeoutMs?: number;
  readonly logger?: MaintenanceLogger;
  readonly now?: () => number;
}

/** Answers "is this app down?" on every request at the cost of one store read per process per second. */
export interface MaintenanceGate {
  /** Every record in the store (cached). */
  current(): Promise<readonly MaintenanceState[]>;
  /** The record that applies to `appId`: its own, else the all-apps one, else undefined. */
  stateFor(appId: string): Promise<MaintenanceState | undefined>;
  /**
   * What `stateFor` would answer without waiting, when the cached read is recent
   * enough for it to answer without waiting too (starting the same background
   * refresh); undefined when it would have to wait for the store. Lets the
   * per-request check stay synchronous. Optional for other gates.
   */
  peek?(appId: string): { readonly state: MaintenanceState | undefined } | undefined;
}

function applicable(states: readonly MaintenanceState[], appId: string): MaintenanceState | undefined {
  return states.find((state) => state.scope === appId) ?? states.find((state) => state.scope === ALL_APPS);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A cached reader over a {@link MaintenanceStore}. Reads are shared (one in
 * flight at a time) and reused for `ttlMs`, so `marg down` reaches every
 * process within about a second without a round trip per request. When the
 * store fails, the last known state stays in force (none at all: the site
 * stays up): a Redis hiccup must not take the fleet down, and /health already
 * reports the outage.
 */
export function createMaintenanceGate(
  store: MaintenanceStore,
  options: MaintenanceGateOptions = {},
): MaintenanceGate {
  const ttlMs = options.ttlMs ?? 1000;
  const maxStaleMs = Math.max(ttlMs, options.maxStaleMs ?? 5000);
  const timeoutMs = options.timeoutMs ?? 500;
  const now = options.now ?? Date.now;
  let cached: { states: readonly MaintenanceState[]; at: number } | undefined;
  let refreshing: Promise<void> | undefined;
  let failing = false;

  async function refresh(): Promise<void> {
    try {
      cached = { states: await within(store.list(), timeoutMs), at: now() };
      if (failing) options.logger?.info({ driver: store.driver }, "maintenance state readable again");
      failing = false;
    } catch (error) {
      if (!failing) {
        const reason = error instanceof Error ? error.message : String(error);
        options.logger?.warn(
          { driver: store.driver, reason },
          "maintenance state unreadable; keeping the last known state",
        );
      }
      failing = true;
      // Retry after another ttl, not on every request, while the store is down.
      cached = { states: cached?.states ?? [], at: now() };
    }
  }

  /** The cached states when they may be served now (refreshing in the background past ttlMs), else undefined. */
  function usable(): readonly MaintenanceState[] | undefined {
    const age = cached === undefined ? Number.POSITIVE_INFINITY : now() - cached.at;
    if (cached !== undefined && age < ttlMs) return cached.states;
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    return cached !== undefined && age < maxStaleMs ? cached.states : undefined;
  }

  async function current(): Promise<readonly MaintenanceState[]> {
    const states = usable();
    if (states !== undefined) return states;
    await refreshing;
    return cached?.states ?? [];
  }

  return {
    current,
    async stateFor(appId) {
      return applicable(await current(), appId);
    },
    peek(appId) {
      const states = usable();
      return states === undefined ? undefined : { state: applicable(states, appId) };
    },
  };
}
