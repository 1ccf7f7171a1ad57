const TRANSIENT = new Set(["ER_LOCK_DEADLOCK", "ER_LOCK_WAIT_TIMEOUT", "SQLITE_BUSY", "SQLITE_LOCKED"]);

/** InnoDB deadlocks and SQLite busy locks: the statement did nothing and may simply be run again. */
export function isTransientSqlError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT.has(code);
}

/**
 * Runs `operation`, again after a short jittered pause when the database
 * reports a deadlock or a busy lock — normal under concurrent workers on
 * InnoDB, where the advice is exactly "try restarting transaction".
 */
export async function retryTransient<T>(operation: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isTransientSqlError(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
    }
  }
}
