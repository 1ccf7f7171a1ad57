import type { MargConfig } from "../config/index.js";
import { driverTarget, isConnectionError, mapDriverError } from "../db/driver-error-mapper.js";
import { MargError } from "../errors/index.js";
import type { JobRegistry } from "./job-registry.js";
import type { QueueBackend, QueueDriverName, QueueLogger } from "./types.js";

export interface CreateQueueBackendOptions {
  /** The sync driver runs handlers at dispatch, so it needs them. */
  readonly registry?: JobRegistry;
  readonly logger?: QueueLogger;
  /** Use this driver instead of QUEUE_CONNECTION. */
  readonly driver?: QueueDriverName;
}

/**
 * Opens the queue backend QUEUE_CONNECTION names. Drivers load lazily, so a
 * process on the database driver never loads BullMQ, and one on redis never
 * opens SQLite. Close it with `backend.close()`.
 *
 * @example
 * const backend = await createQueueBackend(config);
 * const queue = createQueue(backend);
 */
export async function createQueueBackend(
  config: Pick<MargConfig, "queue" | "redis" | "db">,
  options: CreateQueueBackendOptions = {},
): Promise<QueueBackend> {
  const driver = options.driver ?? config.queue.connection;
  if (driver === "redis") {
    const { RedisQueueBackend } = await import("./drivers/redis-queue-backend.js");
    return new RedisQueueBackend({
      redis: config.redis,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }
  if (driver === "database") {
    const [{ DatabaseQueueBackend }, { createQueueKysely }] = await Promise.all([
      import("./drivers/database-queue-backend.js"),
      import("./drivers/queue-kysely-factory.js"),
    ]);
    const { db, dialect } = createQueueKysely(config.db.connections.rbac);
    const backend = new DatabaseQueueBackend({
      db,
      dialect,
      ownsDb: true,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    try {
      await backend.assertReady();
    } catch (error) {
      // An unreachable database is an outage, not a misconfiguration: the process starts,
      // /health answers 503 and each queue call fails (and recovers) on its own.
      if (isConnectionError(error)) {
        const reason = mapDriverError(error, driverTarget(config.db.connections.rbac));
        options.logger?.error(
          { err: (reason as Error).message },
          "the queue database is unreachable; jobs cannot be queued until it answers",
        );
        return backend;
      }
      await backend.close();
      throw error;
    }
    return backend;
  }
  if (options.registry === undefined) {
    throw new MargError(
      "E_QUEUE_DRIVER_UNSUPPORTED",
      "QUEUE_CONNECTION=sync runs jobs at dispatch and needs the job registry; pass `registry`.",
    );
  }
  const { SyncQueueBackend } = await import("./drivers/sync-queue-backend.js");
  return new SyncQueueBackend({
    registry: options.registry,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
