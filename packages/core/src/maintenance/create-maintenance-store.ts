import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { MargConfig } from "../config/config-types.js";
import { createDatabases } from "../db/databases.js";
import { MargError } from "../errors/marg-error.js";
import { createLogger, type Logger } from "../logging/create-logger.js";
import { createRedisConnections } from "../redis/create-redis-connections.js";
import type { MaintenanceTables } from "./maintenance-migrations.js";
import type { MaintenanceStore } from "./types.js";

/**
 * Redis whenever the installation uses Redis at all (phases 2–4: every server
 * shares it), else the rbac database (phase 1: one SQLite file every app opens).
 * Apps, workers and the CLI apply the same rule to the same config, so they
 * always meet in the same store.
 */
export function maintenanceDriverFor(config: Pick<MargConfig, "redis">): "redis" | "database" {
  return config.redis.required ? "redis" : "database";
}

/** The store for a process that already holds the connections (an app's platform, the worker). */
export async function createMaintenanceStore(
  config: Pick<MargConfig, "redis">,
  clients: { readonly redis?: Redis | undefined; readonly rbacDb?: Kysely<MaintenanceTables> | undefined },
): Promise<MaintenanceStore> {
  const driver = maintenanceDriverFor(config);
  if (driver === "redis" && clients.redis !== undefined) {
    const { RedisMaintenanceStore } = await import("./stores/redis-maintenance-store.js");
    return new RedisMaintenanceStore(clients.redis, { prefix: config.redis.prefix });
  }
  if (driver === "database" && clients.rbacDb !== undefined) {
    const { DatabaseMaintenanceStore } = await import("./stores/database-maintenance-store.js");
    return new DatabaseMaintenanceStore(clients.rbacDb);
  }
  throw new MargError(
    "E_MAINTENANCE_STORE_UNAVAILABLE",
    `Maintenance mode uses ${driver === "redis" ? "Redis" : "the rbac database"} here, and no connection to it was given.`,
  );
}

/**
 * Opens its own connection (`marg down`, `marg up`, the worker) and returns the
 * store with a `close()`. Redis commands fail fast instead of waiting out an outage.
 */
export async function openMaintenanceStore(
  config: MargConfig,
  options: { logger?: Logger } = {},
): Promise<{ store: MaintenanceStore; close(): Promise<void> }> {
  if (maintenanceDriverFor(config) === "redis") {
    const redis = createRedisConnections(config.redis, {
      logger: options.logger ?? createLogger({ app: config.app, log: { level: "silent" } }),
      tuning: { commandRetries: 0, connectTimeoutMs: 3000 },
    });
    const store = await createMaintenanceStore(config, { redis: redis.client });
    return { store, close: () => redis.quit() };
  }
  const databases = createDatabases(config, { readReplicas: false });
  const store = await createMaintenanceStore(config, {
    rbacDb: databases.connection<MaintenanceTables>("rbac"),
  });
  return { store, close: () => databases.destroy() };
}
