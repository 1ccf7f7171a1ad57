import type { ErrorCodeInfo } from "../errors/error-code-info.js";
import { MargError } from "../errors/marg-error.js";

/** Error codes of maintenance mode, composed into core's list in kernel/core-errors.ts. */
export const MAINTENANCE_ERRORS = {
  E_MAINTENANCE_MODE: {
    status: 503,
    meaning: "The app is down for maintenance (`marg down`); retry after the time in Retry-After.",
  },
  E_MAINTENANCE_STORE_UNAVAILABLE: {
    status: 503,
    meaning:
      "The maintenance state could not be read or written (Redis or the rbac database is down, or `marg migrate` has not run).",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** The one error the maintenance stores throw. */
export function maintenanceStoreUnavailable(driver: string, cause: unknown): MargError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const where = driver === "redis" ? "Redis" : "the `maintenance` table of the rbac database";
  const hint =
    driver === "redis"
      ? "check that Redis is running and reachable"
      : "run `marg migrate` if the table is missing";
  return new MargError(
    "E_MAINTENANCE_STORE_UNAVAILABLE",
    `The maintenance state in ${where} could not be used (${reason}); ${hint}.`,
    { status: 503, cause },
  );
}
