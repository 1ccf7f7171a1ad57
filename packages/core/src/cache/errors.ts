import type { ErrorCodeInfo } from "../errors/error-code-info.js";
import { MargError } from "../errors/marg-error.js";

/** Error codes of the cache capability, composed into core's list in kernel/core-errors.ts. */
export const CACHE_ERRORS = {
  E_CACHE_UNAVAILABLE: {
    status: 503,
    meaning:
      "The cache store (Redis or the cache table) could not be reached; callers that can fall back do.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** The one error a cache driver throws: its backend is down, slow or refused the command. */
export function cacheUnavailable(driver: string, cause: unknown): MargError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MargError(
    "E_CACHE_UNAVAILABLE",
    `The ${driver} cache store cannot be reached (${reason}); check that it is running and reachable.`,
    { status: 503, cause },
  );
}

/** True for the error drivers throw when their backend is unreachable. */
export function isCacheUnavailable(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "E_CACHE_UNAVAILABLE";
}
