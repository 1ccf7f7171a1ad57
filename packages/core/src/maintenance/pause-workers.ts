import type { QueueBackend, QueueConsumer } from "../queue/types.js";
import type { MaintenanceGate, MaintenanceLogger } from "./maintenance-gate.js";

/**
 * The same backend, but its consumers stop taking jobs while any maintenance
 * record says `pauseWorkers` (`marg down --workers`) and start again after
 * `marg up`. Pausing closes the consumer, which lets the jobs in flight finish;
 * queued jobs simply wait. Without --workers, workers keep running: a deploy of
 * the web apps rarely needs the queue stopped, and stopping it delays mail.
 */
export function pauseWhileInMaintenance(
  backend: QueueBackend,
  gate: MaintenanceGate,
  options: { pollMs?: number; logger?: MaintenanceLogger } = {},
): QueueBackend {
  const pollMs = options.pollMs ?? 1000;
  const consume: QueueBackend["consume"] = (consumeOptions, processor) => {
    let inner: QueueConsumer | undefined;
    let closed = false;
    let busy: Promise<void> | undefined;
    const sync = async () => {
      const paused = (await gate.current()).some((state) => state.pauseWorkers);
      if (closed) return;
      if (paused && inner !== undefined) {
        options.logger?.info(
          { workerId: consumeOptions.workerId },
          "paused for maintenance (marg down --workers)",
        );
        const running = inner;
        inner = undefined;
        await running.close();
      } else if (!paused && inner === undefined) {
        inner = backend.consume(consumeOptions, processor);
        options.logger?.info({ workerId: consumeOptions.workerId }, "taking jobs");
      }
    };
    const tick = () => {
      busy ??= sync()
        .catch(() => undefined)
        .finally(() => {
          busy = undefined;
        });
    };
    tick();
    const timer = setInterval(tick, pollMs);
    timer.unref();
    return {
      async close() {
        closed = true;
        clearInterval(timer);
        await busy;
        await inner?.close();
        inner = undefined;
      },
    };
  };
  return new Proxy(backend, {
    get(target, property) {
      if (property === "consume") return consume;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
