import { sql } from "kysely";
import { isMargError, MargError } from "../errors/index.js";
import type { ConnectionHandle } from "./connection-factory.js";
import type { ConnectionName } from "./migration-types.js";
import type { PingResult } from "./types.js";

function describe(handle: ConnectionHandle): string {
  const { settings } = handle;
  return settings.driver === "sqlite"
    ? `SQLite ${settings.filename}`
    : `MySQL at ${settings.host}:${settings.port} (database \`${settings.database}\`)`;
}

/**
 * Runs `select 1` on the connection's primary and reports, never throws: /health
 * calls this for every connection and must answer even when one hangs.
 */
export async function pingConnection(
  name: ConnectionName,
  handle: ConnectionHandle,
  timeoutMs: number,
): Promise<PingResult> {
  const started = performance.now();
  const replicas = handle.replicas?.states();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new MargError(
          "E_DB_UNAVAILABLE",
          `${describe(handle)} did not answer within ${timeoutMs} ms (connection ${name}).`,
          { status: 503 },
        ),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(handle.db), timeout]);
    return {
      connection: name,
      ok: true,
      latencyMs: performance.now() - started,
      ...(replicas && { replicas }),
    };
  } catch (error) {
    const code = isMargError(error) ? error.code : "E_DB_UNAVAILABLE";
    const message = error instanceof Error ? error.message : String(error);
    return {
      connection: name,
      ok: false,
      latencyMs: performance.now() - started,
      code,
      message,
      ...(replicas && { replicas }),
    };
  } finally {
    clearTimeout(timer);
  }
}
