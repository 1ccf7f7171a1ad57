import type { Platform } from "@marg/core/platform";
import type { Queue } from "@marg/core/queue";

/** What the dashboard does with core's `Queue`: look, retry, forget (never dispatch). */
export type AdminQueue = Pick<Queue, "failed" | "retry" | "retryAll" | "forget" | "flush" | "status">;

/** The queue of this process: the platform's (QUEUE_CONNECTION's backend). */
export function platformQueue(platform: Platform): AdminQueue | undefined {
  return platform.queue;
}
