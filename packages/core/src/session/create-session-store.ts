import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { MargConfig } from "../config/config-types.js";
import { MargError } from "../errors/marg-error.js";
import type { SessionDatabase } from "./stores/session-table.js";
import type { SessionStore } from "./types.js";

/** The clients a store may need; only the one SESSION_DRIVER names is used. */
export interface SessionStoreClients<DB extends SessionDatabase = SessionDatabase> {
  readonly redis?: Redis;
  /** The shared `rbac` connection, where the `sessions` table lives. */
  readonly db?: Kysely<DB>;
}

/**
 * The store SESSION_DRIVER names, loading only that driver's module, so an app
 * on the embedded database never loads the Redis store and vice versa.
 *
 * @example
 * const store = await createSessionStore(config, { db: rbacDb });
 */
export async function createSessionStore<DB extends SessionDatabase>(
  config: Pick<MargConfig, "session" | "redis">,
  clients: SessionStoreClients<DB>,
): Promise<SessionStore> {
  if (config.session.driver === "redis") {
    if (clients.redis === undefined) throw missing("redis", "a Redis client");
    const { RedisSessionStore } = await import("./stores/redis-session-store.js");
    // Under Sentinel a failover promotes a replica: sign-ins and sign-outs wait (100 ms at most) for one.
    const replication = config.redis.sentinels.length > 0 ? { replicas: 1, timeoutMs: 100 } : undefined;
    return new RedisSessionStore(clients.redis, {
      prefix: config.redis.prefix,
      ...(replication === undefined ? {} : { replication }),
    });
  }
  if (clients.db === undefined) throw missing("database", "the rbac database connection");
  const { DatabaseSessionStore } = await import("./stores/database-session-store.js");
  return new DatabaseSessionStore(clients.db);
}

function missing(driver: string, what: string): MargError {
  return new MargError(
    "E_SESSION_DRIVER_MISSING",
    `SESSION_DRIVER=${driver} needs ${what}, and none was given to createSessionStore.`,
  );
}
