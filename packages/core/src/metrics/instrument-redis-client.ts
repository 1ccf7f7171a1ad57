import type { Command, Redis } from "ioredis";
import type { MargMetrics } from "./types.js";

const instrumented = new WeakSet<Redis>();

/**
 * Times every command sent on `client` (from send to reply, offline-queue wait
 * included: that is what a request waits for). Only the general client is
 * instrumented: BullMQ's blocking reads would measure idle time, not latency.
 * Calling it twice on one client is harmless.
 */
export function instrumentRedisClient(client: Redis, metrics: MargMetrics): void {
  if (instrumented.has(client)) return;
  instrumented.add(client);
  const send = client.sendCommand.bind(client);
  // ioredis sends a command again when it leaves the offline queue; time it once, from the first send.
  const timed = new WeakSet<Command>();
  client.sendCommand = ((command: Command, stream?: Parameters<Redis["sendCommand"]>[1]) => {
    const started = performance.now();
    const result = send(command, stream);
    if (timed.has(command)) return result;
    timed.add(command);
    const observe = (outcome: "ok" | "error") => () =>
      metrics.redisCommandDuration.observe(
        { command: command.name.toLowerCase(), outcome },
        (performance.now() - started) / 1000,
      );
    command.promise.then(observe("ok"), observe("error"));
    return result;
  }) as Redis["sendCommand"];
}
