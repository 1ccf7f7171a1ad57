import type { Command, Redis } from "ioredis";
import type { MargMetrics } from "./types.js";

const instrumented = new WeakSet<Redis>();

/** Set on a command once it is timed: ioredis sends a command again when it leaves the offline queue. */
const TIMED = Symbol("marg.redis.timed");
type TimedCommand = Command & { [TIMED]?: true };

type Observer = (seconds: number) => void;

/**
 * Times every command sent on `client` (from send to reply, offline-queue wait
 * included: that is what a request waits for). Only the general client is
 * instrumented: BullMQ's blocking reads would measure idle time, not latency.
 * Calling it twice on one client is harmless.
 *
 * Every session read goes through here, so the per-command cost is kept small: a mark
 * on the command instead of a WeakSet entry (which every garbage collection has to
 * trace), and one labelled observer per command name and outcome, made once.
 */
export function instrumentRedisClient(client: Redis, metrics: MargMetrics): void {
  if (instrumented.has(client)) return;
  instrumented.add(client);
  const send = client.sendCommand.bind(client);
  const observers = new Map<string, { ok: Observer; error: Observer }>();
  const observersOf = (name: string) => {
    let pair = observers.get(name);
    if (pair === undefined) {
      const command = name.toLowerCase();
      const ok = metrics.redisCommandDuration.labels({ command, outcome: "ok" });
      const error = metrics.redisCommandDuration.labels({ command, outcome: "error" });
      pair = { ok: (seconds) => ok.observe(seconds), error: (seconds) => error.observe(seconds) };
      observers.set(name, pair);
    }
    return pair;
  };
  client.sendCommand = ((command: TimedCommand, stream?: Parameters<Redis["sendCommand"]>[1]) => {
    const started = performance.now();
    const result = send(command, stream);
    if (command[TIMED] === true) return result;
    command[TIMED] = true;
    const { ok, error } = observersOf(command.name);
    command.promise.then(
      () => ok((performance.now() - started) / 1000),
      () => error((performance.now() - started) / 1000),
    );
    return result;
  }) as Redis["sendCommand"];
}
