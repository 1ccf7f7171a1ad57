import type { Platform, Queue } from "@marg/core";

/** What the dashboard does with core's `Queue`: look, retry, forget (never dispatch). */
export type AdminQueue = Pick<Queue, "failed" | "retry" | "retryAll" | "forget" | "flush" | "status">;

/** The queue of this process: the platform's (QUEUE_CONNECTION's backend). */
export function platformQueue(platform: Platform): AdminQueue | undefined {
  return platform.queue;
}
