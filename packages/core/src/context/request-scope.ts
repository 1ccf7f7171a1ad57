import { AsyncLocalStorage } from "node:async_hooks";

/**
 * State that lives for one request (or one job): which database connections
 * have been written to, so that later reads in the same unit of work go to the
 * primary (read-your-writes), plus the request id for log correlation.
 */
export interface RequestScope {
  readonly requestId: string;
  /** Names of connections written during this scope. */
  readonly wroteTo: Set<string>;
  /** Connections pinned to the primary from the start (e.g. a recent write remembered by the session). */
  readonly stickyFrom: Set<string>;
}

const storage = new AsyncLocalStorage<RequestScope>();
let required = false;

/**
 * Says that something in this process reads the scope of web requests. The database
 * layer calls it as soon as a connection routes reads to replicas: read-your-writes
 * needs to know what the request wrote, and that is the only reader in core.
 */
export function requireRequestScopes(): void {
  required = true;
}

/**
 * True once `requireRequestScopes()` was called. Until then a web server may skip
 * entering a scope per request, and should: on Node 20 the first `enterWith` turns on
 * an AsyncLocalStorage hook that runs for every promise the process creates from then
 * on (measured at ~14% of the CPU of a signed-in page in `npm run bench`).
 */
export function requestScopesRequired(): boolean {
  return required;
}

function newScope(requestId: string): RequestScope {
  return { requestId, wroteTo: new Set(), stickyFrom: new Set() };
}

/** Runs `fn` inside a fresh scope; used by the worker around each job and by tests. */
export function runInRequestScope<T>(requestId: string, fn: () => T): T {
  return storage.run(newScope(requestId), fn);
}

/**
 * Enters a fresh scope for the rest of the current async context. Fastify's
 * onRequest hook calls this, so every handler of that request sees the scope.
 */
export function enterRequestScope(requestId: string): RequestScope {
  const scope = newScope(requestId);
  storage.enterWith(scope);
  return scope;
}

/** The current scope, or undefined outside a request or job. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
