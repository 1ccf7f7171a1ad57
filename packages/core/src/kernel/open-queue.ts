import type { MargConfig } from "../config/index.js";
import {
  createJobRegistry,
  createQueue,
  createQueueBackend,
  type Queue,
  type QueueBackend,
  type QueueLogger,
} from "../queue/index.js";
import { pingJob } from "./ping-job.js";

/**
 * Opens the queue this installation is configured for (QUEUE_CONNECTION, or
 * `driver`), with the kernel's own job registered for the sync driver. Used by
 * the `queue:*` commands and by the kernel's worker.
 */
export async function openQueue(
  config: MargConfig,
  options: { driver?: "database" | "redis" | "sync"; logger?: QueueLogger } = {},
): Promise<{ queue: Queue; backend: QueueBackend; close(): Promise<void> }> {
  const backend = await createQueueBackend(config, {
    registry: createJobRegistry([pingJob]),
    ...(options.driver ? { driver: options.driver } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { queue: createQueue(backend), backend, close: () => backend.close() };
}

/** Opens the queue, runs `use`, and always closes it (what each `queue:*` command does). */
export async function withQueue<T>(config: MargConfig, use: (queue: Queue) => Promise<T>): Promise<T> {
  const opened = await openQueue(config);
  try {
    return await use(opened.queue);
  } finally {
    await opened.close();
  }
}
