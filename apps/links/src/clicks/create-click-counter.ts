import type { Logger } from "@marg/core/logging";
import type { Platform } from "@marg/core/platform";
import type { Kysely } from "kysely";
import type { LinksTables } from "../db/schema.js";
import { DatabaseClickCounter } from "./database-click-counter.js";
import { RedisClickCounter } from "./redis-click-counter.js";
import type { ClickCounter } from "./types.js";

/**
 * Redis whenever the installation has Redis (it already runs sessions, cache or
 * queues there), else the embedded buffer. Switching is configuration only; the
 * flush job drains both, so no count is stranded by a switch.
 */
export function createClickCounter(
  platform: Platform,
  db: Kysely<LinksTables>,
  logger: Logger,
): ClickCounter {
  if (platform.redis !== undefined) return new RedisClickCounter(platform.redis);
  return new DatabaseClickCounter(db, {
    onError: (error) => logger.warn({ err: (error as Error).message }, "click batch not written; retrying"),
  });
}
