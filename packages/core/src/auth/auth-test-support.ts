/**
 * Test helpers for auth's own suites: a migrated auth database on a temp SQLite file
 * or a scratch MariaDB database, and a clock the test moves by hand. Reads and writes
 * only the temp dir and the scratch database, both removed by `close()`.
 */
import type { SqlDialectName } from "../db/sql-dialect.js";
import { isMargError } from "../errors/marg-error.js";
import { type MigratedTestDatabase, openMigratedTestDatabase } from "../testing/index.js";
import { authMigrations } from "./auth-migrations.js";
import type { AuthDatabase } from "./auth-schema.js";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "./password-hasher.js";
import type { Clock } from "./types.js";

export const DIALECTS: readonly SqlDialectName[] = ["sqlite", "mysql"];

export type AuthTestDatabase = MigratedTestDatabase<AuthDatabase>;

/** A fresh database of the dialect with auth's migrations applied. */
export function openAuthTestDatabase(dialect: SqlDialectName, label: string): Promise<AuthTestDatabase> {
  return openMigratedTestDatabase<AuthDatabase>(dialect, label, authMigrations.migrations);
}

/** A clock that stands still until the test moves it. */
export function createManualClock(start = Date.UTC(2026, 10, 25, 12)): Clock & { advance(ms: number): void } {
  let now = start;
  return Object.assign(() => now, {
    advance(ms: number) {
      now += ms;
    },
  });
}

/** A hasher with cheap parameters, so suites run in seconds. */
export function createTestHasher(): PasswordHasher {
  return new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS });
}

/** The MargError code a promise rejects with; undefined when it resolves or throws something else. */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isMargError(error) ? error.code : undefined;
}
