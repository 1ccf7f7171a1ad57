import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/** Error codes of the database layer (composed in kernel/core-errors.ts, listed in docs/errors.md). */
export const DB_ERRORS = {
  E_DB_UNKNOWN_CONNECTION: {
    status: 500,
    meaning: "Code asked for a database connection that is not configured.",
  },
  E_DB_UNAVAILABLE: { status: 503, meaning: "The database could not be reached." },
  E_DB_ACCESS_DENIED: {
    status: 503,
    meaning: "The database refused the configured user or password.",
  },
  E_DB_UNKNOWN_DATABASE: {
    status: 503,
    meaning: "The configured database does not exist on the server; `marg migrate` creates it.",
  },
  E_MIGRATION_FAILED: {
    status: 500,
    meaning: "A migration failed; the database is left at the last good migration.",
  },
  E_MIGRATION_INVALID: {
    status: 500,
    meaning: "A migration set is malformed (bad or duplicate name, no down() to roll back).",
  },
  E_SEED_FAILED: { status: 500, meaning: "A seeder failed; earlier seeders' rows are kept." },
} as const satisfies Record<string, ErrorCodeInfo>;
