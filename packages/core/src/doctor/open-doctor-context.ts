import type { Redis } from "ioredis";
import type { MargConfig } from "../config/config-types.js";
import { createDatabases } from "../db/databases.js";
import type { MigrationStatusRow } from "../db/migration-status.js";
import type { Databases } from "../db/types.js";
import { createLogger } from "../logging/create-logger.js";
import { createQueueBackend } from "../queue/create-queue-backend.js";
import type { QueueTables } from "../queue/queue-tables.js";
import type { QueueBackend } from "../queue/types.js";
import { createRedisConnections } from "../redis/create-redis-connections.js";
import type { RedisConnections } from "../redis/types.js";
import { createQueueStats, oldestWaitingInBullmq, oldestWaitingInTable } from "./queue-stats.js";
import type { DoctorApp, DoctorContext, QueueStats } from "./types.js";

const NO_QUEUE: QueueStats = {
  driver: "sync",
  sizes: async () => [],
  workersAlive: async () => 0,
  servedQueues: async () => [],
  oldestWaitingAgeMs: async () => null,
  failedCount: async () => 0,
};

/**
 * Opens what doctor looks at, from the installation's and each app's config:
 * Redis (when any app uses it), each database (primary only, short timeouts)
 * and the queue. Nothing here throws for a broken dependency — that is what the
 * findings report.
 */
export async function openDoctorContext(options: {
  installation: MargConfig;
  apps: readonly DoctorApp[];
  migrationStatus?: () => Promise<readonly MigrationStatusRow[]>;
}): Promise<{ ctx: DoctorContext; close(): Promise<void> }> {
  const { installation } = options;
  const logger = createLogger({ app: installation.app, log: { level: "silent" } });
  const configs = [installation, ...options.apps.flatMap((app) => (app.config ? [app.config] : []))];
  const redis: RedisConnections | undefined = configs.some((config) => config.redis.required)
    ? createRedisConnections(installation.redis, {
        logger,
        tuning: { commandRetries: 0, connectTimeoutMs: 3000, retryMaxMs: 1000 },
      })
    : undefined;
  const opened = new Map<MargConfig, Databases>();
  const databasesFor = (config: MargConfig) => {
    let databases = opened.get(config);
    if (databases === undefined) {
      databases = createDatabases(config, { readReplicas: false, connectTimeoutMs: 3000 });
      opened.set(config, databases);
    }
    return databases;
  };
  let backend: QueueBackend | undefined;
  let queue: DoctorContext["queue"] = NO_QUEUE;
  if (installation.queue.connection !== "sync") {
    try {
      backend = await createQueueBackend(installation, { logger });
      const oldest =
        backend.driver === "redis" && redis !== undefined
          ? oldestWaitingInBullmq(redis.client as Redis, installation.redis.prefix, async () =>
              ((await backend?.counts()) ?? []).filter((q) => q.waiting > 0).map((q) => q.queue),
            )
          : oldestWaitingInTable(databasesFor(installation).connection<QueueTables>("rbac"));
      queue = createQueueStats(backend, oldest);
    } catch (error) {
      queue = { error: (error as Error).message };
    }
  }
  const ctx: DoctorContext = {
    installation,
    apps: options.apps,
    redis: redis?.client,
    databasesFor,
    queue,
    migrationStatus: options.migrationStatus,
    now: Date.now,
  };
  return {
    ctx,
    async close() {
      await backend?.close().catch(() => undefined);
      await redis?.quit().catch(() => undefined);
      await Promise.all([...opened.values()].map((databases) => databases.destroy().catch(() => undefined)));
    },
  };
}
